from datetime import timedelta

from django.core import mail

from orders.inbox import order_tasks_for
from orders.reminders import send_order_reminders
from tests.orders import steps


def test_the_explanation_deadline_is_reminded_once(
    case, reviewer, lead, officer, django_capture_on_commit_callbacks
):
    notice = steps.issue_procedure_notice(case, reviewer, lead, due_in=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_order_reminders(today=steps.today())
        again = send_order_reminders(today=steps.today())
    assert first["explanation_due"] == 1 and again["explanation_due"] == 0
    assert any(officer.email in message.to for message in mail.outbox)
    assert notice.due_on is not None


def test_the_order_window_ending_is_reminded_to_reviewers(case, reviewer):
    review = case.review
    review.deadline = steps.today() + timedelta(days=3)
    review.save(update_fields=["deadline"])
    assert send_order_reminders(today=steps.today())["order_window_ending"] == 1


def test_deadlines_are_in_my_tasks(case, reviewer, lead, officer, staff):
    steps.issue_procedure_notice(case, reviewer, lead)
    assert [task.what for task in order_tasks_for(officer)] == ["弁明書"]
    assert [task.what for task in order_tasks_for(staff)] == ["弁明書"]
    assert "弁明書の提出期限" in [task.what for task in order_tasks_for(reviewer)]


def test_the_queue_filters_reviews_in_procedure(client, case, reviewer, officer):
    from tests.factories import make_review

    other = make_review(officer)
    client.force_login(reviewer)
    html = client.get("/reviews/?in_procedure=on").content.decode()
    assert case.review.filing.receipt_number in html
    assert other.filing.receipt_number not in html


def test_an_officer_records_and_withdraws_consent_to_electronic_notices(client, officer, staff):
    client.force_login(staff)
    assert (
        client.post("/orders/consent/", {"consent": "on", "email": "a@example.jp"}).status_code
        == 400
    )
    client.force_login(officer)
    response = client.post("/orders/consent/", {"consent": "on", "email": "a@example.jp"})
    assert response.status_code == 302
    from orders.models import ElectronicNoticeConsent

    consent = ElectronicNoticeConsent.objects.get()
    assert consent.consented_by == officer and consent.withdrawn_at is None
    client.post("/orders/consent/", {"email": ""})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not ElectronicNoticeConsent.objects.active().exists()
