from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedAdmin
from checklists.models import Catalogue, Category, Guideline, GuidelineEdition, Item, ItemSource
from checklists.publication import draft_changes
from checklists.services import create_draft_catalogue, publish_catalogue


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


class ItemSourceInline(admin.StackedInline):  # stacked: every field has its label (axe)
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


@admin.register(Item)
class ItemAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["code", "title_ja", "category", "is_criterion", "lower_coverage_required"]
    list_filter = ["catalogue", "is_criterion", "lower_coverage_required", "category__code"]
    search_fields = ["code", "title_ja", "title_en"]
    list_select_related = ["catalogue", "category"]
    inlines = [ItemSourceInline]


@admin.register(Category)
class CategoryAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["code", "name_ja", "catalogue", "order"]
    list_filter = ["catalogue"]


@admin.action(description=_("Publish the selected draft versions"))
def publish_selected(modeladmin, request, queryset):
    """First what publishing changes (a published version never changes again), then, once the
    admin confirms on that page, the publication."""
    if request.POST.get("confirmed") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Publish these catalogue versions?"),
            "opts": modeladmin.model._meta,
            "drafts": [(catalogue, draft_changes(catalogue)) for catalogue in queryset],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "checklists/catalogue_publish_confirm.html", context)
    for catalogue in queryset:
        try:
            publish_catalogue(catalogue=catalogue, actor=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, "; ".join(error.messages), messages.ERROR)
        else:
            modeladmin.message_user(request, _("Published %(v)s.") % {"v": catalogue.version})


@admin.action(description=_("Copy the selected versions into a new draft"))
def copy_as_draft(modeladmin, request, queryset):
    for catalogue in queryset:
        version = f"{catalogue.version}-draft-{Catalogue.objects.count() + 1}"
        create_draft_catalogue(based_on=catalogue, version=version, actor=request.user)
        modeladmin.message_user(request, _("Created draft %(v)s.") % {"v": version})


@admin.register(Catalogue)
class CatalogueAdmin(AuditedAdmin):
    list_display = ["version", "title_ja", "status", "published_at", "based_on"]
    readonly_fields = ["status", "published_at", "based_on"]
    actions = [publish_selected, copy_as_draft]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)
