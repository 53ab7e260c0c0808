from django.contrib import admin

from accounts.admin import AuditedAdmin, ReadOnlyAdmin
from orders.models import ElectronicNoticeConsent, IssuingAuthority, OrderCase


@admin.register(IssuingAuthority)
class IssuingAuthorityAdmin(AuditedAdmin):
    """Admins configure who issues notices and the document-number format (audited)."""

    list_display = ["name", "signatory", "number_format", "is_default"]


@admin.register(ElectronicNoticeConsent)
class ElectronicNoticeConsentAdmin(ReadOnlyAdmin):
    """Declared by the company's officer in the portal; shown here."""

    list_display = ["organisation", "consented_by", "consented_at", "email", "withdrawn_at"]


@admin.register(OrderCase)
class OrderCaseAdmin(ReadOnlyAdmin):
    """Every step is taken on the case page (services, audited); the admin shows the cases."""

    list_display = ["organisation", "kind", "status", "opened_at"]
    list_filter = ["status", "kind"]
