"""The statute's clock (電気事業法第27条の30第3項–第6項) at fixed dates: the issue's example, month
ends, leap years and the year end."""

from datetime import date

import pytest
from django.utils import timezone

from reviews.models import Review


def clock(accepted_on: date, **fields) -> Review:
    return Review(accepted_on=accepted_on, deadline=Review.deadline_for(accepted_on), **fields)


def on(monkeypatch, today: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)


def test_the_issue_example_period_start_and_window():
    review = clock(date(2027, 1, 10))
    assert review.waiting_period_end == date(2027, 2, 9)
    assert review.business_start_from == date(2027, 2, 10)
    assert review.order_window_end == date(2027, 2, 9)
    assert not review.window_differs_from_start


def test_the_issue_example_extended_by_30_days():
    review = clock(date(2027, 1, 10))
    assert review.extension_limit == date(2027, 3, 11)
    review.window_extended_to = review.extension_limit
    assert review.order_window_end == date(2027, 3, 11)
    # 第6項 extends 「同項の期間」, the waiting period itself: the start moves with the window.
    assert review.waiting_period_end == date(2027, 3, 11)
    assert review.business_start_from == date(2027, 3, 12)


def test_the_issue_example_shortened_start_leaves_the_window():
    review = clock(date(2027, 1, 10), shortened_to=date(2027, 1, 31))
    assert review.waiting_period_end == date(2027, 1, 31)
    assert review.business_start_from == date(2027, 2, 1)
    assert review.order_window_end == date(2027, 2, 9)  # 第5項 names only the extension
    assert review.window_differs_from_start


@pytest.mark.parametrize(
    ("accepted_on", "period_end", "start_from", "extension_limit"),
    [
        (date(2027, 1, 31), date(2027, 3, 2), date(2027, 3, 3), date(2027, 4, 1)),  # month end
        (date(2028, 1, 31), date(2028, 3, 1), date(2028, 3, 2), date(2028, 3, 31)),  # leap year
        (date(2028, 2, 29), date(2028, 3, 30), date(2028, 3, 31), date(2028, 4, 29)),  # 29 Feb
        (date(2026, 12, 15), date(2027, 1, 14), date(2027, 1, 15), date(2027, 2, 13)),  # year end
        (date(2026, 12, 31), date(2027, 1, 30), date(2027, 1, 31), date(2027, 3, 1)),
    ],
)
def test_period_start_and_extension_limit_across_month_leap_and_year_ends(
    accepted_on, period_end, start_from, extension_limit
):
    review = clock(accepted_on)
    assert review.waiting_period_end == period_end
    assert review.business_start_from == start_from
    assert review.extension_limit == extension_limit


def test_days_left_and_open_window_count_in_japan_time(monkeypatch):
    review = clock(date(2027, 1, 10))
    on(monkeypatch, date(2027, 1, 30))
    assert review.order_window_days_left == 10 and review.is_order_window_open
    on(monkeypatch, date(2027, 2, 9))
    assert review.order_window_days_left == 0 and review.is_order_window_open  # the last day
    on(monkeypatch, date(2027, 2, 10))
    assert review.order_window_days_left == -1 and not review.is_order_window_open


def test_an_extension_keeps_the_window_open_past_the_30th_day(monkeypatch):
    review = clock(date(2027, 1, 10), window_extended_to=date(2027, 3, 11))
    on(monkeypatch, date(2027, 3, 11))
    assert review.is_order_window_open
    on(monkeypatch, date(2027, 3, 12))
    assert not review.is_order_window_open


def test_a_change_notified_after_the_fact_has_no_window(monkeypatch):
    review = clock(date(2027, 1, 10), has_order_window=False)
    on(monkeypatch, date(2027, 1, 11))
    assert not review.is_order_window_open


@pytest.mark.django_db
def test_the_queue_annotation_sorts_by_days_left_in_the_window(officer, other_company, monkeypatch):
    from datetime import timedelta

    from tests.factories import make_review, user_with_role

    first = make_review(officer)
    second = make_review(user_with_role("aggregator_officer", other_company))
    Review.objects.filter(pk=first.pk).update(
        window_extended_to=first.deadline + timedelta(days=5), extension_reason="審査継続"
    )
    today = timezone.localdate()
    rows = list(Review.objects.with_window_days_left().order_by("window_end", "id"))
    assert [row.pk for row in rows] == [second.pk, first.pk]
    assert rows[0].window_days_left == second.deadline - today
    Review.objects.filter(pk=second.pk).update(has_order_window=False)
    assert Review.objects.with_window_days_left().get(pk=second.pk).window_days_left is None
