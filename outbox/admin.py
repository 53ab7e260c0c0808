from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutgoingMail
from outbox.services import enqueue_delivery


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only: what the portal sent, what it could not send and why."""

    list_display = ("created_at", "subject", "status", "attempts", "last_error")
    list_filter = ("status",)
    search_fields = ("subject", "recipients")
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again now"), permissions=["view"])
    def retry(self, request, queryset):
        # Ids first: the changelist's filter (status = failed) stays on the queryset.
        ids = list(queryset.exclude(status=OutgoingMail.Status.SENT).values_list("id", flat=True))
        count = OutgoingMail.objects.filter(pk__in=ids).update(
            status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for mail_id in ids:
            enqueue_delivery(mail_id)
        message = ngettext(
            "%(count)d e-mail was queued again.", "%(count)d e-mails were queued again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
