from django import forms
from django.contrib import admin
from django.db import models

from accounts.admin import AuditedAdmin
from checklists.models import Catalogue
from consultations.models import CommentPeriod, Opinion
from consultations.services import open_comment_period


@admin.register(CommentPeriod)
class CommentPeriodAdmin(AuditedAdmin):
    """An admin opens the comment period on a draft; opinions and responses live in the portal."""

    list_display = ["catalogue", "starts_on", "ends_on", "approved_at"]
    fields = ["catalogue", "starts_on", "ends_on", "note"]
    # The browser's own date input: the admin's calendar shortcut names itself in English.
    formfield_overrides = {models.DateField: {"widget": forms.DateInput(attrs={"type": "date"})}}

    def get_readonly_fields(self, request, obj=None):
        return ["catalogue"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalogue":
            kwargs["queryset"] = Catalogue.objects.filter(
                status=Catalogue.Status.DRAFT, based_on__isnull=False
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = open_comment_period(
            catalogue=obj.catalogue,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            note=obj.note,
            actor=request.user,
        )
        obj.pk, obj.opened_by_id, obj.opened_at = (
            created.pk,
            created.opened_by_id,
            created.opened_at,
        )
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["period", "channel", "received_on", "submitter_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
