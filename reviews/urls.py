from django.urls import path

import accounts.converters  # noqa: F401  # registers <id:…>
from reviews import clock_views, filer_views, views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/dashboard/", views.dashboard, name="dashboard"),
    path("reviews/<id:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<id:pk>/assign/", views.review_assign, name="review_assign"),
    path("reviews/<id:pk>/determine/", views.review_determine, name="review_determine"),
    path("reviews/<id:pk>/accept/", views.review_accept, name="review_accept"),
    path("reviews/<id:pk>/shorten/", clock_views.review_shorten, name="review_shorten"),
    path("reviews/<id:pk>/extend/", clock_views.review_extend, name="review_extend"),
    path("reviews/flags/<id:pk>/decide/", views.flag_decide, name="flag_decide"),
    path("reviews/<id:pk>/flags/decide/", views.flags_decide, name="flags_decide"),
    path("inquiries/<id:pk>/", filer_views.inquiry_detail, name="inquiry_detail"),
    path(
        "inquiries/<id:pk>/attachment/", filer_views.inquiry_attachment, name="inquiry_attachment"
    ),
    path("incidents/", filer_views.incident_list, name="incident_list"),
    path("incidents/new/", filer_views.incident_create, name="incident_create"),
    path("incidents/<id:pk>/", filer_views.incident_detail, name="incident_detail"),
    path("incidents/<id:pk>/determine/", filer_views.incident_determine, name="incident_determine"),
]
