from django.urls import path

from filings import views

app_name = "filings"
urlpatterns = [
    path("", views.filing_list, name="filing_list"),
    path("new/", views.filing_create, name="filing_create"),
    path("<int:pk>/", views.filing_detail, name="filing_detail"),
    path("<int:pk>/header/", views.filing_header, name="filing_header"),
    path("<int:pk>/checklist/", views.filing_checklist, name="filing_checklist"),
    path(
        "<int:pk>/checklist/<str:section>/",
        views.filing_checklist,
        name="filing_checklist_section",
    ),
    path("<int:pk>/answers/<int:item_id>/", views.answer_save, name="answer_save"),
    path("<int:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/lower-aggregators/", views.filing_lower, name="filing_lower"),
    path("<int:pk>/submit/", views.filing_submit, name="filing_submit"),
    path(
        "<int:pk>/change-notification/",
        views.change_notification_start,
        name="change_notification_start",
    ),
    path("<int:pk>/changes/", views.filing_changes, name="filing_changes"),
]
