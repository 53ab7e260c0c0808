from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from checklists.models import Catalogue, Category, Item, ReferenceSection


def get_catalogue_for_user(user, version: str | None) -> Catalogue:
    """Published versions are for everyone signed in; drafts only for admins."""
    if version is None:
        catalogue = Catalogue.objects.current()
        if catalogue is None:
            raise Http404("No published catalogue")
        return catalogue
    catalogues = Catalogue.objects.all() if user.is_staff else Catalogue.objects.published()
    return get_object_or_404(catalogues, version=version)


@require_safe
@login_required
def catalogue_detail(request, version=None):
    catalogue = get_catalogue_for_user(request.user, version)
    query = request.GET.get("q", "").replace("\x00", "")[:100]  # PostgreSQL rejects NUL
    items = catalogue.items.with_sources().search(query).in_sections()
    categories: dict[Category | ReferenceSection, list[Item]] = {}
    for item in items:
        categories.setdefault(item.section, []).append(item)
    return render(
        request,
        "checklists/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "categories": categories.items(),
            "query": query,
            "result_count": sum(len(rows) for rows in categories.values()),
            "versions": Catalogue.objects.published(),
        },
    )


@require_safe
@login_required
def item_detail(request, version, code):
    catalogue = get_catalogue_for_user(request.user, version)
    item = get_object_or_404(Item.objects.with_sources(), catalogue=catalogue, code=code)
    return render(request, "checklists/item_detail.html", {"catalogue": catalogue, "item": item})
