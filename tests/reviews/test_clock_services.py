"""Shortening (第4項) and extending (第6項) at the issue's fixed dates; each refusal leaves nothing
recorded and says why in Japanese; 変更命令等の手続へ移行 is refused once the window has closed."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, Role
from reviews import services
from reviews.models import PeriodNotice, Review
from tests.factories import make_review

pytestmark = pytest.mark.django_db
ACCEPTED = date(2027, 1, 10)


def on(monkeypatch, today: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)


@pytest.fixture
def review(catalogue, users, monkeypatch):
    review = make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})
    Review.objects.filter(pk=review.pk).update(
        accepted_on=ACCEPTED, deadline=Review.deadline_for(ACCEPTED)
    )
    on(monkeypatch, date(2027, 1, 20))
    review.refresh_from_db()
    return review


@pytest.fixture
def lead(users):
    return users[Role.REVIEW_LEAD]


def nothing_recorded(review: Review) -> None:
    fresh = Review.objects.get(pk=review.pk)
    assert (fresh.shortened_to, fresh.window_extended_to) == (None, None)
    assert not PeriodNotice.objects.filter(review=review).exists()
    assert not AuditEvent.objects.filter(
        action__in=["review.shorten_waiting_period", "review.extend_order_window"]
    ).exists()


def test_extending_by_30_days_moves_the_window_to_11_march_and_notifies_the_filer(
    review, lead, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.extend_order_window(
            review=review, by=lead, new_end=date(2027, 3, 11), reason="審査に相当の期間を要するため"
        )
    review.refresh_from_db()
    assert review.order_window_end == date(2027, 3, 11)
    assert review.business_start_from == date(2027, 3, 12)
    assert (notice.kind, notice.previous_end, notice.new_end) == (
        "extension",
        date(2027, 2, 9),
        date(2027, 3, 11),
    )
    assert notice.basis.code == "eba-27-30-6" and notice.basis.basis_set.version == "2026.1"
    (message,) = mail.outbox
    assert "期間延長通知書" in message.subject
    assert "2027年3月11日" in message.body and "審査に相当の期間を要するため" in message.body
    assert sorted(message.to) == sorted(notice.emailed_to.split(", "))
    assert AuditEvent.objects.filter(action="review.extend_order_window").count() == 1


def test_shortening_to_31_january_moves_the_start_but_not_the_window(review, lead):
    services.shorten_waiting_period(
        review=review, by=lead, new_end=date(2027, 1, 31), reason="支障のおそれがないと認めた"
    )
    review.refresh_from_db()
    assert review.business_start_from == date(2027, 2, 1)
    assert review.order_window_end == date(2027, 2, 9)
    assert review.period_notices.get().kind == "shortening"


@pytest.mark.parametrize(
    ("today", "new_end", "message"),
    [
        (date(2027, 1, 20), date(2027, 3, 12), "通算30日の範囲内"),  # 31 days
        (date(2027, 2, 10), date(2027, 3, 1), "期間の満了前に限られます"),  # after the end
        (date(2027, 1, 20), date(2027, 2, 9), "より後の日"),  # not later than now
    ],
)
def test_an_extension_past_30_days_or_after_the_end_is_refused_and_nothing_is_recorded(
    review, lead, monkeypatch, today, new_end, message
):
    on(monkeypatch, today)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match=message):
        services.extend_order_window(review=review, by=lead, new_end=new_end, reason="理由")
    nothing_recorded(review)
    assert not mail.outbox


@pytest.mark.parametrize(
    ("new_end", "message"),
    [(date(2027, 2, 9), "より前の日"), (date(2027, 1, 19), "過去の日")],
)
def test_a_shortening_to_no_earlier_day_or_into_the_past_is_refused(review, lead, new_end, message):
    with pytest.raises(ValidationError, match=message):
        services.shorten_waiting_period(review=review, by=lead, new_end=new_end, reason="理由")
    nothing_recorded(review)


def test_both_actions_need_a_reason_and_a_lead(review, lead, users):
    with pytest.raises(ValidationError, match="理由を入力"):
        services.extend_order_window(review=review, by=lead, new_end=date(2027, 3, 1), reason=" ")
    with pytest.raises(PermissionDenied):
        services.shorten_waiting_period(
            review=review, by=users[Role.REVIEWER], new_end=date(2027, 1, 31), reason="理由"
        )
    nothing_recorded(review)


def test_a_shortened_period_cannot_also_be_extended(review, lead):
    services.shorten_waiting_period(review=review, by=lead, new_end=date(2027, 1, 31), reason="可")
    with pytest.raises(ValidationError, match="短縮済み"):
        services.extend_order_window(review=review, by=lead, new_end=date(2027, 3, 1), reason="要")


def test_a_change_notified_after_the_fact_has_nothing_to_extend(review, lead):
    Review.objects.filter(pk=review.pk).update(has_order_window=False)
    review.refresh_from_db()
    with pytest.raises(ValidationError, match="第27条の30第9項"):
        services.extend_order_window(review=review, by=lead, new_end=date(2027, 3, 1), reason="要")


def uphold_all(review, users):
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")


def test_the_order_procedure_is_refused_after_the_window_with_nothing_recorded(
    review, lead, users, monkeypatch
):
    uphold_all(review, users)
    on(monkeypatch, date(2027, 2, 10))
    with pytest.raises(ValidationError, match="命令期限は2027年2月9日に終了しました"):
        services.determine_review(
            review=review, actor=lead, determination="order_procedure", reason="変更命令相当"
        )
    fresh = Review.objects.get(pk=review.pk)
    assert not fresh.is_decided and fresh.determination == ""
    assert not AuditEvent.objects.filter(action="review.determine").exists()


def test_the_order_procedure_stays_open_on_the_last_day_of_an_extended_window(
    review, lead, users, monkeypatch
):
    services.extend_order_window(review=review, by=lead, new_end=date(2027, 3, 11), reason="要")
    uphold_all(review, users)
    on(monkeypatch, date(2027, 3, 11))
    services.determine_review(
        review=review, actor=lead, determination="order_procedure", reason="変更命令相当"
    )
    assert Review.objects.get(pk=review.pk).determination == "order_procedure"


def test_no_order_remains_possible_after_the_window(review, lead, users, monkeypatch):
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(
            flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="可"
        )
    on(monkeypatch, date(2027, 2, 20))
    services.determine_review(
        review=review, actor=lead, determination="no_order", reason="問題なし"
    )
    assert Review.objects.get(pk=review.pk).is_decided


def test_the_acceptance_date_is_fixed_once_the_period_was_changed(review, lead):
    services.extend_order_window(review=review, by=lead, new_end=date(2027, 3, 1), reason="要")
    with pytest.raises(ValidationError, match="受理日"):
        services.record_acceptance(review=review, accepted_on=date(2027, 1, 12), actor=lead)
    assert Review.objects.get(pk=review.pk).accepted_on == ACCEPTED
