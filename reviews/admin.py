from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from reviews.models import Flag, IncidentReport, Review


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["filing", "status", "assignee", "open_candidates", "deadline", "determination"]
    list_filter = ["status", "determination"]
    list_select_related = ["filing__organisation", "filing__submission", "assignee"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["kind", "rule", "item_code", "decision", "review", "incident"]
    list_filter = ["kind", "rule", "decision"]
    list_select_related = ["review__filing__submission", "incident__organisation"]


@admin.register(IncidentReport)
class IncidentReportAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "occurred_at", "supply_impact", "reported_at"]
    list_filter = ["supply_impact"]
