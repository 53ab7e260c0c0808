from django.urls import path

import accounts.converters  # noqa: F401  # registers <id:…>
from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<id:pk>/", views.case_detail, name="case_detail"),
    path("<id:pk>/procedure/", views.case_procedure, name="case_procedure"),
    path("<id:pk>/notices/<str:kind>/", views.notice_draft, name="notice_draft"),
    path("notices/<id:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("notices/<id:pk>/delivery/", views.notice_delivery, name="notice_delivery"),
    path("<id:pk>/explanation/", views.explanation_submit, name="explanation_submit"),
    path("<id:pk>/explanation/paper/", views.explanation_paper, name="explanation_paper"),
    path("<id:pk>/opinion/", views.opinion_record, name="opinion_record"),
    path("follow-ups/<id:pk>/", views.follow_up_submit, name="follow_up_submit"),
    path("follow-ups/<id:pk>/decide/", views.follow_up_decide, name="follow_up_decide"),
    path("<id:pk>/comply/", views.case_comply, name="case_comply"),
    path("<id:pk>/appeals/", views.appeal_record, name="appeal_record"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
    path("consent/", views.consent, name="consent"),
]
