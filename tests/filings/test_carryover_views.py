"""The move preview, the move, the carried answers page and the undo, for every role."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.factories import answer_all, make_filing, published_revision, user_with_role

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moved_setup(catalogue, users, staff):
    filing = answer_all(make_filing(staff))
    revision = published_revision(catalogue, users[Role.ADMIN])
    return filing, revision


def test_the_preview_lists_each_relation_and_changes_nothing(moved_setup, staff):
    filing, revision = moved_setup
    response = client_for(staff).get(reverse("filings:filing_move", args=[filing.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for code in ("SYS-3", "SYS-6", "INC-3", "SYS-7", "EXT-12"):
        assert code in text
    filing.refresh_from_db()
    assert filing.catalogue != revision


def test_moving_then_confirming_then_undoing_through_the_pages(moved_setup, staff):
    filing, revision = moved_setup
    client = client_for(staff)
    response = client.post(reverse("filings:filing_move", args=[filing.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("filings:filing_carried", args=[filing.pk])
    filing.refresh_from_db()
    assert filing.catalogue == revision
    sys3 = filing.answers.get(item__code="SYS-3")
    response = client.post(
        reverse("filings:filing_carried", args=[filing.pk]), {"item": [sys3.item_id]}
    )
    assert response.status_code == 302
    sys3.refresh_from_db()
    assert sys3.carry_state == ""
    client.post(reverse("filings:filing_move_undo", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.catalogue.version == "2026.1"


def test_the_confirmation_returns_only_to_a_page_of_this_site(moved_setup, staff):
    filing, _revision = moved_setup
    client = client_for(staff)
    client.post(reverse("filings:filing_move", args=[filing.pk]))
    url = reverse("filings:filing_carried", args=[filing.pk])
    response = client.post(url, {"item": ["1"], "next": "https://evil.example/"})
    assert response["Location"] == url


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.AGGREGATOR_STAFF, 200),
        (Role.AGGREGATOR_OFFICER, 200),
        (Role.REVIEWER, 403),
        (Role.REVIEW_LEAD, 403),
        (Role.ADMIN, 403),
    ],
)
def test_only_the_companys_users_reach_the_move_pages(moved_setup, users, role, expected):
    filing, _revision = moved_setup
    client = client_for(users[role])
    for name in ("filings:filing_move", "filings:filing_carried"):
        assert client.get(reverse(name, args=[filing.pk])).status_code == expected


def test_another_companys_users_get_404_on_get_and_post(moved_setup, other_company):
    filing, _revision = moved_setup
    client = client_for(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    for name in ("filings:filing_move", "filings:filing_carried", "filings:filing_move_undo"):
        url = reverse(name, args=[filing.pk])
        assert client.post(url).status_code == 404
        if name != "filings:filing_move_undo":
            assert client.get(url).status_code == 404
    filing.refresh_from_db()
    assert filing.catalogue.version == "2026.1"


def test_a_draft_on_the_current_version_has_nothing_to_move_to(catalogue, staff):
    filing = make_filing(staff)
    response = client_for(staff).get(reverse("filings:filing_move", args=[filing.pk]))
    assert response.status_code == 404


def test_the_draft_page_offers_the_move_and_then_the_carried_answers(moved_setup, staff):
    filing, _revision = moved_setup
    client = client_for(staff)
    page = client.get(filing.get_absolute_url()).content.decode()
    assert reverse("filings:filing_move", args=[filing.pk]) in page
    client.post(reverse("filings:filing_move", args=[filing.pk]))
    page = client.get(filing.get_absolute_url()).content.decode()
    assert reverse("filings:filing_carried", args=[filing.pk]) in page
    checklist = client.get(reverse("filings:filing_checklist_section", args=[filing.pk, "SYS"]))
    assert "SYS-3" in checklist.content.decode()
    assert checklist.content.decode().count('name="next"') >= 1
