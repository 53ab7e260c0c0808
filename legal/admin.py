"""Admin: a published version of the legal bases is read-only; a correction is a draft copy,
edited here and published after the admin has seen its differences from the current version."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedAdmin
from legal.diff import differences
from legal.interchange import LegalFormatError
from legal.models import BasisSet, LegalBasis, NotifiedMatter
from legal.services import create_draft_basis_set, publish_basis_set


class DraftOnlyMixin(admin.ModelAdmin):
    """Rows of a published version are shown read-only; edits go to a new draft version."""

    def _is_published(self, obj) -> bool:
        return obj is not None and obj.basis_set.is_published

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_published(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "basis_set":
            kwargs["queryset"] = BasisSet.objects.filter(status=BasisSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LegalBasis)
class LegalBasisAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["code", "title", "citation", "verification", "basis_set"]
    list_filter = ["basis_set", "verification", "law"]
    search_fields = ["code", "title", "text"]
    list_select_related = ["basis_set"]


@admin.register(NotifiedMatter)
class NotifiedMatterAdmin(DraftOnlyMixin, AuditedAdmin):
    list_display = ["label", "title", "regime", "holds_self_assessment", "basis_set"]
    list_filter = ["basis_set"]


@admin.action(description=_("Copy the selected version into a new draft"))
def copy_as_draft(modeladmin, request, queryset):
    for basis_set in queryset:
        version = f"{basis_set.version}-draft-{BasisSet.objects.count() + 1}"
        create_draft_basis_set(based_on=basis_set, version=version, actor=request.user)
        modeladmin.message_user(request, _("Created draft %(v)s.") % {"v": version})


@admin.register(BasisSet)
class BasisSetAdmin(AuditedAdmin):
    list_display = ["version", "status", "published_at", "based_on", "publish_link"]
    readonly_fields = ["status", "published_at", "based_on"]
    actions = [copy_as_draft]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    @admin.display(description=_("Publish"))
    def publish_link(self, obj):
        if obj.is_published:
            return "—"
        url = reverse("admin:legal_basisset_publish", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review the differences and publish"))

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        own = [path("<int:pk>/publish/", publish, name="legal_basisset_publish")]
        return own + super().get_urls()

    def publish_view(self, request, pk):
        """The draft's differences from the current version; publishing needs the confirmation."""
        draft = get_object_or_404(BasisSet, pk=pk, status=BasisSet.Status.DRAFT)
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        current = BasisSet.objects.current()
        changes = differences(draft, current)
        error = ""
        if request.method == "POST":
            if request.POST.get("confirm") != "yes":
                error = str(_("Tick the confirmation: you have checked every difference listed."))
            else:
                try:
                    publish_basis_set(basis_set=draft, actor=request.user)
                except LegalFormatError as problem:
                    error = str(problem)
                else:
                    self.message_user(
                        request, _("Published %(v)s.") % {"v": draft.version}, messages.SUCCESS
                    )
                    return redirect("admin:legal_basisset_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish version %(v)s of the legal bases") % {"v": draft.version},
            "draft": draft,
            "current": current,
            "changes": changes,
            "error": error,
        }
        template = "admin/legal/basisset/publish.html"
        return TemplateResponse(request, template, context, status=400 if error else 200)
