"""Comment period pages for every role, own and other company, GET and POST."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from consultations.models import Opinion
from tests.factories import draft_revision, open_comment, user_with_role

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def period(catalogue, users):
    return open_comment(draft_revision(catalogue, users[Role.ADMIN]), users[Role.ADMIN])


def url(name, period):
    return reverse(f"consultations:{name}", args=[period.pk])


def opinion_data(period, *codes):
    ids = [
        str(pk) for pk in period.catalogue.items.filter(code__in=codes).values_list("pk", flat=True)
    ]
    return {"body": "具体例を示してほしい。", "items": ids}


def test_an_aggregator_reads_the_diff_and_comments_on_two_items(period, staff):
    client = client_for(staff)
    page = client.get(url("period_detail", period)).content.decode()
    for code in ("SYS-3", "SYS-6", "INC-3", "SYS-7", "EXT-12"):
        assert code in page
    response = client.post(url("period_detail", period), opinion_data(period, "SYS-6", "INC-3"))
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert sorted(item.code for item in opinion.items.all()) == ["INC-3", "SYS-6"]
    assert opinion.organisation == staff.organisation and opinion.channel == "portal"


def test_an_empty_opinion_is_refused_with_the_form_kept(period, staff):
    response = client_for(staff).post(url("period_detail", period), {"body": ""})
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_submitters_are_never_shown_to_other_companies(period, staff, other_company):
    client_for(staff).post(url("period_detail", period), opinion_data(period, "SYS-6"))
    other = client_for(user_with_role(Role.AGGREGATOR_STAFF, other_company))
    page = other.get(url("period_detail", period)).content.decode()
    assert staff.organisation.name not in page
    assert "具体例を示してほしい" not in page
    own = client_for(staff).get(url("period_detail", period)).content.decode()
    assert "具体例を示してほしい" in own


@pytest.mark.parametrize(
    "role, detail, record, responses",
    [
        (Role.AGGREGATOR_STAFF, 200, 403, 403),
        (Role.AGGREGATOR_OFFICER, 200, 403, 403),
        (Role.REVIEWER, 200, 200, 200),
        (Role.REVIEW_LEAD, 200, 200, 200),
        (Role.ADMIN, 200, 200, 403),
    ],
)
def test_each_role_reaches_only_its_pages(period, users, role, detail, record, responses):
    client = client_for(users[role])
    assert client.get(url("period_detail", period)).status_code == detail
    assert client.get(url("opinion_record", period)).status_code == record
    assert client.get(url("period_responses", period)).status_code == responses
    expected_approve = 302 if role == Role.REVIEW_LEAD else 403
    assert client.post(url("period_approve", period)).status_code == expected_approve


def test_regulators_cannot_post_an_opinion_as_an_aggregator(period, users):
    response = client_for(users[Role.REVIEWER]).post(
        url("period_detail", period), opinion_data(period, "SYS-6")
    )
    assert response.status_code == 404
    assert not Opinion.objects.exists()


def test_the_regulator_records_a_paper_opinion_and_responds_to_it(period, users):
    reviewer = client_for(users[Role.REVIEWER])
    response = reviewer.post(
        url("opinion_record", period),
        {
            "channel": "paper",
            "received_on": period.starts_on.isoformat(),
            "submitter_name": "個人",
            "body": "CISOについて記述を。",
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    response = reviewer.post(
        url("period_responses", period),
        {"opinions": [str(opinion.pk)], "body": "補足の記載をします。"},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.response is not None and opinion.response.body == "補足の記載をします。"


def test_the_table_pdf_is_404_until_rendered_and_then_downloads(period, users, staff):
    assert client_for(staff).get(url("table_download", period)).status_code == 404
