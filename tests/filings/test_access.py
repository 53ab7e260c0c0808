"""The access matrix: every filing and evidence URL × every role × own / other company, GET, POST.

Columns: own draft, own submitted, other company's draft, other company's submitted. For regulator
roles "own"/"other" does not apply: they see the first company's filings. "ok" means the request
reached the view's own handling (200, 302 or a 4xx form error), anything else is the exact status.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Role
from filings.services import submit_filing
from tests.factories import add_pdf, answer_all, make_filing, user_with_role

pytestmark = pytest.mark.django_db

AGGREGATOR = {
    "filing_detail": ("ok ok 404 404", "405 405 405 405"),
    "filing_header": ("ok 403 404 404", "ok 403 404 404"),
    "filing_checklist": ("ok 302 404 404", "405 405 405 405"),
    "answer_save": ("405 405 405 405", "ok 403 404 404"),
    "evidence_list": ("ok ok 404 404", "ok 403 404 404"),
    "evidence_download": ("ok ok 404 404", "405 405 405 405"),
    "evidence_remove": ("ok 403 404 404", "ok 403 404 404"),  # GET: the confirmation page
    "filing_lower": ("ok ok 404 404", "ok 403 404 404"),
    # POST on a submitted filing: "already submitted" and back to it (a double click is no error).
    "filing_submit": ("ok 403 404 404", "ok ok 404 404"),
    "filing_handoff": ("405 405 405 405", "ok ok 404 404"),
    "change_notification_start": ("302 ok 404 404", "ok ok 404 404"),  # GET: confirmation
    "filing_changes": ("302 302 404 404", "405 405 405 405"),
    "filing_whole": ("ok ok 404 404", "405 405 405 405"),
}
STAFF_SUBMIT_POST = "403 403 404 404"  # staff may prepare but never submit
REGULATOR = {
    "filing_detail": ("404 ok", "405 405"),
    "filing_header": ("404 403", "404 403"),
    "filing_checklist": ("404 302", "405 405"),
    "answer_save": ("405 405", "403 403"),
    "evidence_list": ("404 ok", "404 403"),
    "evidence_download": ("404 ok", "405 405"),
    "evidence_remove": ("404 403", "404 403"),
    "filing_lower": ("404 ok", "404 403"),
    "filing_submit": ("403 403", "403 403"),
    "filing_handoff": ("405 405", "403 403"),
    "change_notification_start": ("403 403", "403 403"),
    "filing_changes": ("404 302", "405 405"),
    "filing_whole": ("404 ok", "405 405"),
}


@pytest.fixture
def world(catalogue, company, other_company):
    filings = []
    for organisation in (company, other_company):
        officer = user_with_role(Role.AGGREGATOR_OFFICER, organisation)
        draft = answer_all(make_filing(officer))
        draft_file = add_pdf(draft, officer)
        submitted = make_filing(officer)
        submitted_file = add_pdf(submitted, officer)
        answer_all(submitted)
        submit_filing(filing=submitted, actor=officer)
        submitted.refresh_from_db()
        filings += [(draft, draft_file), (submitted, submitted_file)]
    return filings


def url_for(view, filing, evidence):
    if view == "evidence_remove" and filing.is_draft:
        evidence = add_pdf(filing, filing.created_by)  # each removal needs a file of its own
    if view == "answer_save":
        return reverse(f"filings:{view}", args=[filing.pk, filing.answers.first().item_id])
    if view.startswith("evidence_") and view != "evidence_list":
        return reverse(f"filings:{view}", args=[filing.pk, evidence.pk])
    return reverse(f"filings:{view}", args=[filing.pk])


def check(user, method, url, expected):
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.get(url) if method == "GET" else client.post(url, {})
    where = (user.role, method, url, response.status_code)
    if expected == "ok":
        assert response.status_code in {200, 302, 400, 409}, where
    else:
        assert response.status_code == int(expected), where
        if method == "POST":
            assert AuditEvent.objects.count() == before, ("a refused POST changed something", where)


# One test per view; roles and methods loop inside, so the filings are built once per view.
@pytest.mark.parametrize("view", sorted(AGGREGATOR))
def test_aggregator_access_matrix(world, company, view):
    for role in (Role.AGGREGATOR_STAFF, Role.AGGREGATOR_OFFICER):
        user = user_with_role(role, company)
        for index, method in enumerate(("GET", "POST")):
            row = AGGREGATOR[view][index]
            if view == "filing_submit" and method == "POST" and role == Role.AGGREGATOR_STAFF:
                row = STAFF_SUBMIT_POST
            for (filing, evidence), expected in zip(world, row.split(), strict=True):
                check(user, method, url_for(view, filing, evidence), expected)


@pytest.mark.parametrize("view", sorted(REGULATOR))
def test_regulator_access_matrix(world, view):
    for role in (Role.REVIEWER, Role.REVIEW_LEAD, Role.ADMIN):
        user = user_with_role(role)
        for index, method in enumerate(("GET", "POST")):
            row = REGULATOR[view][index]
            for (filing, evidence), expected in zip(world[:2], row.split(), strict=True):
                check(user, method, url_for(view, filing, evidence), expected)


@pytest.mark.parametrize("view", sorted(AGGREGATOR))
def test_anonymous_users_are_sent_to_login(world, view):
    filing, evidence = world[0]
    response = Client().get(url_for(view, filing, evidence))
    assert response.status_code in {302, 405}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        (Role.AGGREGATOR_STAFF, 200, 200),
        (Role.AGGREGATOR_OFFICER, 200, 200),
        (Role.REVIEWER, 200, 403),
        (Role.REVIEW_LEAD, 200, 403),
        (Role.ADMIN, 200, 403),
    ],
)
def test_filing_list_shows_only_what_the_role_may_see(
    world, company, role, list_status, create_status
):
    client = Client()
    user = user_with_role(role, company if role.startswith("aggregator") else None)
    client.force_login(user)
    response = client.get(reverse("filings:filing_list"))
    assert response.status_code == list_status
    shown = {filing.pk for filing in response.context["page"].object_list}
    if user.is_aggregator_user:
        assert shown == {world[0][0].pk, world[1][0].pk}
    else:
        assert shown == {world[1][0].pk, world[3][0].pk}  # submitted only, every company
    assert client.get(reverse("filings:filing_create")).status_code == create_status
    assert client.post(reverse("filings:filing_create"), {}).status_code in {create_status, 302}
