"""E-mails print dates as the pages do: 2026年12月29日, not 2026-12-29."""

import re
from datetime import date

import pytest
from django.core import mail

from reviews import notifications
from reviews.models import Inquiry
from tests.factories import make_review

pytestmark = pytest.mark.django_db
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_receipt_and_inquiry_mails_give_dates_in_japanese_style(
    catalogue, officer, users, django_capture_on_commit_callbacks
):
    review = make_review(officer, **{"SYS-1": "partial"})
    review.deadline = date(2026, 12, 29)
    flag = review.flags.get(kind="change_order")
    inquiry = Inquiry(flag=flag, question="質問", due_date=date(2027, 1, 5), sent_by=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.submission_received(review)
        notifications.inquiry_sent(inquiry, review.filing.organisation_id)
    received, sent = (str(message.body) for message in mail.outbox)
    assert "2026年12月29日" in received and not ISO_DATE.search(received)
    assert "2027年1月5日" in sent and not ISO_DATE.search(sent)
