from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from filings.models import Filing, Submission


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    """Filings change only through their services (audited, versioned); the admin shows them."""

    list_display = ["__str__", "organisation", "kind", "status", "catalogue", "updated_at"]
    list_filter = ["status", "kind", "organisation"]
    list_select_related = ["organisation", "catalogue"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "filing", "submitted_at", "submitted_by", "sha256"]
    search_fields = ["receipt_number", "sha256"]
    list_select_related = ["filing__organisation", "submitted_by"]
    exclude = ["canonical_json"]
