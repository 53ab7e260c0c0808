from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("filings/<int:pk>/reports/", views.report_list, name="report_list"),
    path(
        "filings/<int:pk>/reports/<str:kind>/",
        views.report_request,
        name="report_request",
    ),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/verify/", views.report_verify, name="report_verify"),
]
