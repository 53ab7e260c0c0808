"""Daily reminders, with the clock fixed: due soon gets one e-mail per threshold, never two."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent, Role
from reviews.models import Reminder, Review
from reviews.services import assign_review, decide_flag
from tests.factories import make_review

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 1)  # the fixed "today" of every run below


@pytest.fixture
def review(catalogue, users, officer):
    review = make_review(officer, **{"ORG-1": "not_implemented", "SYS-1": "not_implemented"})
    assign_review(review=review, assignee=users[Role.REVIEWER], actor=users[Role.REVIEW_LEAD])
    return review


def ask(review, reviewer, due: date):
    flag = review.flags.awaiting_decision().exclude(inquiries__isnull=False).first()
    decide_flag(
        flag=flag, actor=reviewer, decision="inquire", reason="", question="説明を", due_date=due
    )
    return flag.inquiries.get()


def run(today: date, capture) -> str:
    out = StringIO()
    mail.outbox.clear()
    with capture(execute=True):
        call_command("send_reminders", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


def test_an_inquiry_due_within_3_days_is_reminded_once(
    review, users, django_capture_on_commit_callbacks
):
    reviewer = users[Role.REVIEWER]
    Review.objects.filter(pk=review.pk).update(deadline=TODAY + timedelta(days=20))
    soon = ask(review, reviewer, TODAY + timedelta(days=3))
    later = ask(review, reviewer, TODAY + timedelta(days=4))  # outside the window: no reminder
    output = run(TODAY, django_capture_on_commit_callbacks)
    assert "inquiry_due: 1 sent" in output
    (message,) = mail.outbox
    assert "2027年3月4日" in message.subject
    assert users[Role.AGGREGATOR_STAFF].email in message.to
    assert "inquiry_due: 0 sent" in run(TODAY, django_capture_on_commit_callbacks)  # again: none
    assert mail.outbox == []
    assert "inquiry_due: 1 sent" in run(
        TODAY + timedelta(days=1), django_capture_on_commit_callbacks
    )
    assert Reminder.objects.filter(inquiry__in=[soon, later]).count() == 2
    assert AuditEvent.objects.filter(action="reminder.send").count() == 2


def test_the_order_window_is_reminded_at_10_5_and_2_days_once_each(
    review, users, django_capture_on_commit_callbacks
):
    Review.objects.filter(pk=review.pk).update(deadline=TODAY + timedelta(days=10))
    assert "order_window_ending: 1 sent" in run(TODAY, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert users[Role.REVIEWER].email in message.to and users[Role.REVIEW_LEAD].email in message.to
    assert review.filing.receipt_number in message.subject and "残り10日" in message.subject
    assert "2027年3月11日" in message.body
    for day, expected in [(0, 0), (1, 0), (5, 1), (6, 0), (8, 1), (9, 0), (10, 0)]:
        output = run(TODAY + timedelta(days=day), django_capture_on_commit_callbacks)
        assert f"order_window_ending: {expected} sent" in output, day
    assert sorted(Reminder.objects.filter(review=review).values_list("days_before", flat=True)) == [
        2,
        5,
        10,
    ]


def test_an_extension_moves_the_reminders_with_the_window(
    review, users, django_capture_on_commit_callbacks
):
    Review.objects.filter(pk=review.pk).update(
        deadline=TODAY + timedelta(days=3),
        window_extended_to=TODAY + timedelta(days=20),
        extension_reason="審査継続",
    )
    assert "order_window_ending: 0 sent" in run(TODAY, django_capture_on_commit_callbacks)
    output = run(TODAY + timedelta(days=10), django_capture_on_commit_callbacks)
    assert "order_window_ending: 1 sent" in output


def test_nothing_is_reminded_outside_the_windows_or_once_decided(
    review, users, django_capture_on_commit_callbacks
):
    Review.objects.filter(pk=review.pk).update(deadline=TODAY + timedelta(days=11))
    output = run(TODAY, django_capture_on_commit_callbacks)
    assert "order_window_ending: 0 sent" in output and "inquiry_due: 0 sent" in output
    Review.objects.filter(pk=review.pk).update(
        deadline=TODAY + timedelta(days=2),
        status=Review.Status.DECIDED,
        determination=Review.Determination.ORDER_PROCEDURE,
        determination_reason="可",
        determined_by=users[Role.REVIEW_LEAD],
        determined_at=timezone.now(),
    )
    assert "order_window_ending: 0 sent" in run(TODAY, django_capture_on_commit_callbacks)
    assert mail.outbox == []
