from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import AdminLoginForm, UserCreationForm
from accounts.http import client_ip
from accounts.models import AuditAction, AuditAnchor, AuditEvent, Organisation, User
from accounts.services import record_admin_change, reset_mfa

# The admin site's own login is slowed down like the portal's (lockout.py); the second factor is
# asked for by accounts.middleware before any admin page.
admin.site.login_form = AdminLoginForm
# MFA devices change only through the audited services (enrolment by the user, the reset action
# below): django-otp's device admins would add, edit or delete them unrecorded.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class AuditedAdmin(admin.ModelAdmin):
    """Edits of users, organisations and catalogues in the admin site reach the audit log, beside
    Django's own admin history (which an admin could edit in the database as easily)."""

    def _audit(self, request, action, target, message) -> None:
        record_admin_change(
            actor=request.user,
            action=action,
            target=target,
            message=str(message),
            ip_address=client_ip(request),
        )

    def log_addition(self, request, obj, message):
        self._audit(request, AuditAction.ADMIN_ADD, obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, AuditAction.ADMIN_CHANGE, obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditAction.ADMIN_DELETE, obj, "")
        return super().log_deletions(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through service functions (audited): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "corporate_number"]
    list_filter = ["kind"]
    search_fields = ["name", "corporate_number"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    add_form = UserCreationForm
    list_display = ["email", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "organisation", "role", "is_active"]}),
        (_("History"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "organisation", "role", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = []
    actions = ["reset_multi_factor"]

    @admin.action(description=_("Reset multi-factor authentication"), permissions=["change"])
    def reset_multi_factor(self, request, queryset):
        """A user who lost their phone and recovery codes sets MFA up again at the next login."""
        for user in queryset:
            reset_mfa(user=user, actor=request.user, ip_address=client_ip(request))
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Multi-factor authentication was reset for %(count)d user.",
                "Multi-factor authentication was reset for %(count)d users.",
                count,
            )
            % {"count": count},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, even for admins."""

    list_display = ["created_at", "actor", "action", "summary", "ip_address"]
    list_filter = ["action"]
    search_fields = ["summary", "actor__email", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(AuditAnchor)
class AuditAnchorAdmin(admin.ModelAdmin):
    """Read-only: the signed heads of the audit chain (accounts/anchors.py)."""

    list_display = ("created_at", "reason", "document", "head_id", "head_hash", "mailed_at")
    list_filter = ("reason",)
    readonly_fields = [field.name for field in AuditAnchor._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
