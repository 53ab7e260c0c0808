from django.urls import path

import accounts.converters  # noqa: F401  # registers <id:…>
from filings import carryover_views, checklist_views, views, whole_views, workbook_views

app_name = "filings"
urlpatterns = [
    path("", views.filing_list, name="filing_list"),
    path("new/", views.filing_create, name="filing_create"),
    path("<id:pk>/", views.filing_detail, name="filing_detail"),
    path("<id:pk>/header/", views.filing_header, name="filing_header"),
    path("<id:pk>/matters/", views.filing_matters, name="filing_matters"),
    path("<id:pk>/checklist/", checklist_views.filing_checklist, name="filing_checklist"),
    path(
        "<id:pk>/checklist/<str:section>/",
        checklist_views.filing_checklist,
        name="filing_checklist_section",
    ),
    path("<id:pk>/whole/", whole_views.filing_whole, name="filing_whole"),
    path("<id:pk>/answers/<id:item_id>/", checklist_views.answer_save, name="answer_save"),
    path("<id:pk>/checklist.xlsx", workbook_views.workbook_download, name="workbook_download"),
    path("<id:pk>/workbook/", workbook_views.workbook_upload, name="workbook_upload"),
    path("<id:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path(
        "<id:pk>/evidence/<id:evidence_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "<id:pk>/evidence/<id:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<id:pk>/lower-aggregators/", views.filing_lower, name="filing_lower"),
    path("<id:pk>/submit/", views.filing_submit, name="filing_submit"),
    path("<id:pk>/handoff/", views.filing_handoff, name="filing_handoff"),
    path(
        "<id:pk>/change-notification/",
        views.change_notification_start,
        name="change_notification_start",
    ),
    path("<id:pk>/changes/", views.filing_changes, name="filing_changes"),
    path("<id:pk>/move/", carryover_views.filing_move, name="filing_move"),
    path("<id:pk>/move/undo/", carryover_views.filing_move_undo, name="filing_move_undo"),
    path("<id:pk>/carried/", carryover_views.filing_carried, name="filing_carried"),
]
