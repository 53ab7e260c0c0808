"""The clock on the review page and the filing page; the lead's forms; refusals in view."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reviews.models import PeriodNotice, Review
from tests.factories import make_review
from tests.reviews.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalogue, users, monkeypatch):
    review = make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})
    accepted = date(2027, 1, 10)
    Review.objects.filter(pk=review.pk).update(
        accepted_on=accepted, deadline=Review.deadline_for(accepted)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 1, 20))
    review.refresh_from_db()
    return review


def test_the_review_page_shows_the_period_and_the_window_with_verified_citations(review, users):
    content = client_for(users[Role.REVIEWER]).get(review.get_absolute_url()).content.decode()
    assert "30日期間の満了日" in content and "2027年2月9日" in content
    assert "命令期限" in content and "残り20日" in content
    assert "電気事業法第27条の30第5項" in content
    assert "法令本文で確認（電気事業法 2025年6月6日施行時点）" in content
    assert "期間の延長（第27条の30第6項）" not in content  # the forms are the lead's


def test_the_lead_extends_and_the_page_says_so(review, users):
    client = client_for(users[Role.REVIEW_LEAD])
    response = client.post(
        reverse("reviews:review_extend", args=[review.pk]),
        {"extend-new_end": "2027-03-11", "extend-reason": "審査継続のため"},
        follow=True,
    )
    content = response.content.decode()
    assert "期間の末日を2027年3月11日とし、届出者に通知しました。" in content
    assert "期間延長通知書" in content and "審査継続のため" in content


def test_an_extension_too_long_is_refused_in_view_with_the_form_kept(review, users):
    client = client_for(users[Role.REVIEW_LEAD])
    response = client.post(
        reverse("reviews:review_extend", args=[review.pk]),
        {"extend-new_end": "2027-03-12", "extend-reason": "審査継続のため"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "通算30日の範囲内に限られます" in content and 'id="extend-errors" autofocus' in content
    assert "審査継続のため" in content  # what the lead typed is kept
    assert not PeriodNotice.objects.exists()


def test_the_filer_sees_the_new_dates_and_the_notice_on_the_filing_page(review, users):
    client_for(users[Role.REVIEW_LEAD]).post(
        reverse("reviews:review_extend", args=[review.pk]),
        {"extend-new_end": "2027-03-01", "extend-reason": "審査継続のため"},
    )
    page = client_for(users[Role.AGGREGATOR_STAFF]).get(review.filing.get_absolute_url())
    content = page.content.decode()
    assert "2027年3月1日" in content and "2027年3月2日" in content  # period end, start
    assert "期間延長通知書" in content and "審査継続のため" in content
    assert "電子署名付きの通知（PDF）" in content


def test_the_page_says_the_order_procedure_is_closed_before_the_lead_tries(
    review, users, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 2, 10))
    content = client_for(users[Role.REVIEW_LEAD]).get(review.get_absolute_url()).content.decode()
    assert "変更命令等の手続へは移行できません。" in content
    assert "命令期限は2027年2月9日に終了しました" in content
    assert "命令期限経過" in content


def test_the_queue_by_window_and_the_dashboard_keep_their_query_counts(catalogue, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reviews.test_views import bulk_reviews

    client = client_for(users[Role.REVIEW_LEAD])
    counts = {}
    for total in (3, 30):
        bulk_reviews(catalogue, users[Role.AGGREGATOR_OFFICER], total - Review.objects.count())
        for url, params in (
            (reverse("reviews:review_queue"), {"sort": "window"}),
            (reverse("reviews:dashboard"), {}),
            (reverse("home"), {}),
        ):
            client.get(url, params)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            counts[(url, total)] = len(queries)
    for url in {url for url, _total in counts}:
        assert counts[(url, 3)] == counts[(url, 30)], (url, counts[(url, 3)], counts[(url, 30)])
