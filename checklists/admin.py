from datetime import date

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedAdmin
from checklists.mapping import catalogue_diff
from checklists.models import (
    Catalogue,
    Category,
    Guideline,
    GuidelineEdition,
    Item,
    ItemRelation,
    ItemSource,
)
from checklists.services import (
    check_publishable,
    create_draft_catalogue,
    propose_mapping,
    publish_catalogue,
)


class GuidelineEditionInline(admin.StackedInline):  # stacked: every field has its label
    model = GuidelineEdition
    extra = 0


@admin.register(Guideline)
class GuidelineAdmin(AuditedAdmin):
    list_display = ["code", "title_ja", "title_en"]
    inlines = [GuidelineEditionInline]


class DraftOnlyMixin(admin.ModelAdmin):
    """Rows of a published catalogue are shown read-only; edits go to a new draft version."""

    def _is_published(self, obj) -> bool:
        return obj is not None and obj.catalogue.is_published

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_published(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalogue":
            kwargs["queryset"] = Catalogue.objects.filter(status=Catalogue.Status.DRAFT)
        elif db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(catalogue__status=Catalogue.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ItemSourceInline(admin.StackedInline):
    """Stacked, not tabular: every field keeps its label and stays inside a laptop's width."""

    model = ItemSource
    extra = 0

    def _editable(self, obj) -> bool:
        return obj is None or not obj.catalogue.is_published

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class ItemRelationInline(ItemSourceInline):
    """Where this item of the draft comes from in the previous version."""

    model = ItemRelation  # type: ignore[assignment]
    fk_name = "new_item"
    fields = ["relation", "old_item", "note"]
    verbose_name_plural = _("mapping to the previous version")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "old_item":
            kwargs["queryset"] = Item.objects.filter(
                catalogue__derived__status=Catalogue.Status.DRAFT
            ).select_related("catalogue")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Item)
class ItemAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["code", "title_ja", "category", "is_criterion", "lower_coverage_required"]
    list_filter = ["catalogue", "is_criterion", "lower_coverage_required", "category__code"]
    search_fields = ["code", "title_ja", "title_en"]
    list_select_related = ["catalogue", "category"]
    inlines = [ItemSourceInline, ItemRelationInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is ItemRelation:
            for relation in formset.save(commit=False):
                relation.catalogue_id = form.instance.catalogue_id
                relation.save()
            for relation in formset.deleted_objects:
                relation.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)


@admin.register(ItemRelation)
class ItemRelationAdmin(DraftOnlyMixin, AuditedAdmin):
    """The whole mapping of a draft, removed items included (they have no item of the draft)."""

    list_display = ["catalogue", "old_item", "relation", "new_item", "note"]
    list_filter = ["catalogue", "relation"]
    list_select_related = ["catalogue", "old_item", "new_item"]
    search_fields = ["old_item__code", "new_item__code"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "new_item":
            kwargs["queryset"] = Item.objects.filter(catalogue__status=Catalogue.Status.DRAFT)
        elif db_field.name == "old_item":
            kwargs["queryset"] = Item.objects.filter(
                catalogue__derived__status=Catalogue.Status.DRAFT
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Category)
class CategoryAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["code", "name_ja", "catalogue", "order"]
    list_filter = ["catalogue"]


@admin.action(description=_("Publish the selected draft version (shows the diff first)"))
def publish_selected(modeladmin, request, queryset):
    """A confirmation page with the full diff against the version it replaces, then publish."""
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Publish one version at a time."), messages.ERROR)
        return None
    catalogue = queryset.get()
    effective_on = _effective_date(request)
    if request.POST.get("confirm") == "yes" and effective_on is not None:
        try:
            publish_catalogue(catalogue=catalogue, actor=request.user, effective_on=effective_on)
        except ValidationError as error:
            modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
        else:
            modeladmin.message_user(request, _("Published %(v)s.") % {"v": catalogue.version})
        return None
    diff = catalogue_diff(catalogue)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Publish %(v)s?") % {"v": catalogue.version},
        "catalogue": catalogue,
        "diff": [row for row in diff if row.is_change],
        "unchanged": sum(not row.is_change for row in diff),
        "problems": check_publishable(catalogue),
        "effective_on": request.POST.get("effective_on") or timezone.localdate().isoformat(),
        "date_error": request.POST.get("confirm") == "yes" and effective_on is None,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/checklists/catalogue_publish_confirm.html", context)


def _effective_date(request) -> date | None:
    try:
        return date.fromisoformat(request.POST.get("effective_on", ""))
    except ValueError:
        return None


@admin.action(description=_("Propose the mapping for identical items"))
def propose_selected(modeladmin, request, queryset):
    for catalogue in queryset.filter(status=Catalogue.Status.DRAFT):
        added = propose_mapping(catalogue=catalogue, actor=request.user)
        modeladmin.message_user(
            request, _("%(v)s: %(n)d relations proposed.") % {"v": catalogue.version, "n": added}
        )


@admin.action(description=_("Copy the selected versions into a new draft"))
def copy_as_draft(modeladmin, request, queryset):
    for catalogue in queryset:
        version = f"{catalogue.version}-draft-{Catalogue.objects.count() + 1}"
        create_draft_catalogue(based_on=catalogue, version=version, actor=request.user)
        modeladmin.message_user(request, _("Created draft %(v)s.") % {"v": version})


@admin.register(Catalogue)
class CatalogueAdmin(AuditedAdmin):
    list_display = ["version", "title_ja", "status", "published_at", "effective_on", "based_on"]
    readonly_fields = ["status", "published_at", "effective_on", "based_on"]
    actions = [publish_selected, copy_as_draft, propose_selected]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)
