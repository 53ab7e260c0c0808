from django.urls import path

from reviews import filer_views, views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/dashboard/", views.dashboard, name="dashboard"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/assign/", views.review_assign, name="review_assign"),
    path("reviews/<int:pk>/determine/", views.review_determine, name="review_determine"),
    path("reviews/<int:pk>/accept/", views.review_accept, name="review_accept"),
    path("reviews/flags/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
    path("inquiries/<int:pk>/", filer_views.inquiry_detail, name="inquiry_detail"),
    path(
        "inquiries/<int:pk>/attachment/", filer_views.inquiry_attachment, name="inquiry_attachment"
    ),
    path("incidents/", filer_views.incident_list, name="incident_list"),
    path("incidents/new/", filer_views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", filer_views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/determine/", views.incident_determine, name="incident_determine"),
]
