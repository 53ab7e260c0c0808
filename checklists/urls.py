from django.urls import path

from checklists import views

app_name = "checklists"
urlpatterns = [
    path("", views.catalogue_detail, name="catalogue_detail"),
    path("<str:version>/", views.catalogue_detail, name="catalogue_version"),
    path("<str:version>/items/<str:code>/", views.item_detail, name="item_detail"),
]
