from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from reports.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["filing", "kind", "status", "sha256", "requested_by", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["filing__submission", "requested_by"]
