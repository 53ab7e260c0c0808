"""Moving a draft to the next catalogue version: the preview, the move, the carried answers to
confirm, the undo. Each POST goes through one service in filings.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import aggregator_required, client_ip
from checklists.models import Item
from filings import carryover, services
from filings.access import get_filing_for_user
from filings.models import Answer


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def filing_move(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    target = carryover.next_version(filing)
    if target is None:
        raise Http404(_("There is no newer catalogue version to move this filing to."))
    if request.method == "POST":
        try:
            services.move_filing(filing=filing, actor=request.user, ip_address=client_ip(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The draft was moved to %(version)s. Confirm each carried-over answer.")
                % {"version": target.version},
            )
            return redirect("filings:filing_carried", filing.pk)
    plan = carryover.preview(filing, target)
    items = Item.objects.select_related("category").in_bulk([c.item_id for c in plan.carries])
    rows = sorted(
        ((items[c.item_id], c) for c in plan.carries), key=lambda row: carryover.item_order(row[0])
    )
    context = {"filing": filing, "target": target, "plan": plan, "rows": rows}
    return render(request, "filings/filing_move.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def filing_carried(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=request.method == "POST")
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("item") if value.isdigit()]
        count = services.confirm_carried_answers(
            filing=filing, actor=request.user, item_ids=ids, ip_address=client_ip(request)
        )
        messages.success(request, _("%(count)d carried-over answers confirmed.") % {"count": count})
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect("filings:filing_carried", filing.pk)
    move = filing.carry_overs.filter(undone_at__isnull=True, to_catalogue=filing.catalogue).first()
    carried = (
        filing.answers.exclude(carry_state="")
        .select_related("item__category")
        .prefetch_related("evidence")
        .order_by("item__order")
    )
    left = (
        Answer.with_moved.filter(moved_by=move).exclude(status="").select_related("item")
        if move
        else Answer.objects.none()
    )
    context = {"filing": filing, "move": move, "carried": carried, "left": left}
    return render(request, "filings/filing_carried.html", context)


@require_POST
@login_required
@aggregator_required
def filing_move_undo(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    try:
        move = services.undo_move(filing=filing, actor=request.user, ip_address=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("filings:filing_carried", args=[filing.pk]))
    messages.success(
        request,
        _("The draft is back on %(version)s, its answers as they were.")
        % {"version": move.from_catalogue.version},
    )
    return redirect("filings:filing_detail", filing.pk)
