"""The access matrix for every review, inquiry and incident URL × every role, GET and POST.

Columns: staff and officer of the filing company, staff of another company, reviewer, review lead,
admin. "ok" means the request reached the view's own handling (200, 302 or a form error).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Role
from filings.uploads import inspect_upload
from reviews.services import answer_inquiry, decide_flag, file_incident_report
from tests.factories import make_review, plain_pdf, user_with_role

pytestmark = pytest.mark.django_db

MATRIX = {
    # view: (GET row, POST row)
    "review_queue": ("403 403 403 ok ok ok", "405 405 405 405 405 405"),
    "dashboard": ("403 403 403 ok ok ok", "405 405 405 405 405 405"),
    "review_detail": ("403 403 403 ok ok ok", "405 405 405 405 405 405"),
    "review_assign": ("405 405 405 405 405 405", "403 403 403 ok ok ok"),
    "review_determine": ("405 405 405 405 405 405", "403 403 403 403 ok 403"),
    "review_accept": ("405 405 405 405 405 405", "403 403 403 ok ok ok"),
    "review_shorten": ("405 405 405 405 405 405", "403 403 403 403 ok 403"),
    "review_extend": ("405 405 405 405 405 405", "403 403 403 403 ok 403"),
    "flag_decide": ("405 405 405 405 405 405", "403 403 403 ok ok ok"),
    "inquiry_detail": ("ok ok 404 ok ok ok", "ok ok 404 403 403 403"),
    "inquiry_attachment": ("ok ok 404 ok ok ok", "405 405 405 405 405 405"),
    "incident_list": ("ok ok ok ok ok ok", "405 405 405 405 405 405"),
    "incident_create": ("ok ok ok 403 403 403", "ok ok ok 403 403 403"),
    "incident_detail": ("ok ok 404 ok ok ok", "405 405 405 405 405 405"),
    "incident_determine": ("405 405 405 405 405 405", "403 403 403 403 ok 403"),
}


@pytest.fixture
def world(catalogue, company, other_company, users):
    officer = users[Role.AGGREGATOR_OFFICER]
    review = make_review(officer, **{"SYS-1": "partial"})
    flag = review.flags.get(kind="change_order")
    decide_flag(
        flag=flag,
        actor=users[Role.REVIEWER],
        decision="inquire",
        reason="",
        question="?",
        due_date=timezone.localdate(),
    )
    answered = flag.inquiries.get()
    answer_inquiry(
        inquiry=answered,
        actor=officer,
        answer="回答",
        upload=SimpleUploadedFile("a.pdf", plain_pdf()),
        inspected=inspect_upload(SimpleUploadedFile("a.pdf", plain_pdf())),
    )
    other_flag = review.flags.filter(kind="inquiry_candidate").first()
    decide_flag(
        flag=other_flag,
        actor=users[Role.REVIEWER],
        decision="inquire",
        reason="",
        question="??",
        due_date=timezone.localdate(),
    )
    incident = file_incident_report(
        actor=officer,
        fields={
            "occurred_at": timezone.now(),
            "detected_at": timezone.now(),
            "summary": "x",
            "affected_systems": "y",
            "supply_impact": "at_risk",
        },
        related_items=[],
    )
    actors = [
        users[Role.AGGREGATOR_STAFF],
        officer,
        user_with_role(Role.AGGREGATOR_STAFF, other_company),
        users[Role.REVIEWER],
        users[Role.REVIEW_LEAD],
        users[Role.ADMIN],
    ]
    return {
        "actors": actors,
        "review": review,
        "flag": review.flags.filter(decision="").exclude(kind="reference").first(),
        "answered": answered,
        "open_inquiry": other_flag.inquiries.get(),
        "incident": incident,
    }


def url_for(view, world, method):
    if view in {"review_queue", "dashboard", "incident_list", "incident_create"}:
        return reverse(f"reviews:{view}")
    target = {
        "review_detail": world["review"],
        "review_assign": world["review"],
        "review_determine": world["review"],
        "review_accept": world["review"],
        "review_shorten": world["review"],
        "review_extend": world["review"],
        "flag_decide": world["flag"],
        "inquiry_detail": world["open_inquiry"] if method == "POST" else world["answered"],
        "inquiry_attachment": world["answered"],
        "incident_detail": world["incident"],
        "incident_determine": world["incident"],
    }[view]
    return reverse(f"reviews:{view}", args=[target.pk])


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_review_access_matrix(world, view):
    for index, method in enumerate(("GET", "POST")):
        url = url_for(view, world, method)
        for user, expected in zip(world["actors"], MATRIX[view][index].split(), strict=True):
            client = Client()
            client.force_login(user)
            before = AuditEvent.objects.count()
            response = client.get(url) if method == "GET" else client.post(url, {})
            where = (user.role, user.organisation_id, method, url, response.status_code)
            if expected == "ok":
                assert response.status_code in {200, 302, 400}, where
            else:
                assert response.status_code == int(expected), where
                if method == "POST":
                    assert AuditEvent.objects.count() == before, where


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_anonymous_users_are_sent_to_login(world, view):
    response = Client().get(url_for(view, world, "GET"))
    assert response.status_code in {302, 405}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
