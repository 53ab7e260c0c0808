from django.urls import path

import accounts.converters  # noqa: F401  # registers <id:…>
from consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("<id:pk>/", views.period_detail, name="period_detail"),
    path("<id:pk>/opinions/new/", views.opinion_record, name="opinion_record"),
    path("<id:pk>/responses/", views.period_responses, name="period_responses"),
    path("<id:pk>/approve/", views.period_approve, name="period_approve"),
    path("<id:pk>/table.pdf", views.table_download, name="table_download"),
]
