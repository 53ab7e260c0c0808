from django.urls import path

import accounts.converters  # noqa: F401  # registers <id:…>
from reports import views

app_name = "reports"
urlpatterns = [
    path("filings/<id:pk>/reports/", views.report_list, name="report_list"),
    path(
        "filings/<id:pk>/reports/<str:kind>/",
        views.report_request,
        name="report_request",
    ),
    path("reports/<id:pk>/download/", views.report_download, name="report_download"),
    path("reports/<id:pk>/status/", views.report_status, name="report_status"),
    path("reports/verify/", views.report_verify, name="report_verify"),
    path("orders/notices/<id:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
]
