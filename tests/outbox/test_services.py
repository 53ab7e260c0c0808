"""Every e-mail goes through the outbox: a mail outage never fails a request, the mail is retried
with back-off, and what could not be sent shows to the admins."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings.models import Submission
from outbox.models import MAX_ATTEMPTS, OutgoingMail
from outbox.services import attempt_delivery, deliver_mail, queue_mail, send_due_mail
from tests.factories import answer_all, make_filing, user_with_role
from tests.outbox.smtp import SmtpServer, closed_port, smtp_mailers

pytestmark = pytest.mark.django_db


def test_a_submit_with_the_mail_server_down_succeeds_and_the_mail_is_sent_once_it_is_back(
    catalogue, officer, users, settings, django_capture_on_commit_callbacks
):
    port = closed_port()
    settings.MAILERS = smtp_mailers(port)  # nothing listens: connections are refused
    filing = answer_all(make_filing(officer), **{"SYS-1": "partial"})
    client = Client()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("filings:filing_submit", args=[filing.pk]), {"confirm": "on"}
        )
    assert response.status_code == 302  # the officer sees the submission, not an error page
    assert Submission.objects.count() == 1
    queued = OutgoingMail.objects.get()
    assert "CS-" in queued.subject and officer.email in queued.recipients
    assert (queued.status, queued.attempts) == ("queued", 1)
    assert "Connection" in queued.last_error  # ConnectionRefusedError, for the admins
    assert queued.next_attempt_at > timezone.now()  # backed off, not hammered

    assert send_due_mail() == {}  # not due yet
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    with SmtpServer(port) as server:  # the mail port opens again
        call_command("send_outbox", stdout=open("/dev/null", "w"))  # noqa: SIM115
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == ("sent", 2, "")
    assert [message["Subject"] for message in server.received] == [queued.subject]
    assert send_due_mail(force=True) == {}  # sent once, never again


def test_failures_back_off_and_end_failed_after_the_last_attempt(settings):
    settings.MAILERS = smtp_mailers(closed_port())
    queued = queue_mail(subject="件名", body="本文", recipients=["a@example.jp"])
    assert queued is not None
    delays = []
    for _attempt in range(MAX_ATTEMPTS):
        before = timezone.now()
        status, retry = attempt_delivery(mail_id=queued.pk, force=True)
        if retry:
            delays.append(round((retry - before).total_seconds() / 60))
    assert status == "failed" and retry is None
    assert delays == [1, 2, 4, 8, 16, 32, 60]
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("failed", MAX_ATTEMPTS)


def test_with_a_queue_that_can_defer_a_failure_schedules_its_own_retry(settings):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    queued = queue_mail(subject="件名", body="本文", recipients=["a@example.jp"])
    assert queued is not None
    assert deliver_mail.call(queued.pk) == "queued"
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    retries = [result for result in backend.results if result.args == [queued.pk]]
    assert len(retries) == 1
    run_after = retries[0].task.run_after
    assert run_after is not None and run_after > timezone.now() + timedelta(seconds=50)


def test_mail_is_stored_with_the_change_and_sent_after_the_commit(
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_mail(
            subject="件名", body="本文", recipients=["b@example.jp", "a@example.jp", "a@example.jp"]
        )
        assert not mail.outbox  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["a@example.jp", "b@example.jp"]]
    assert OutgoingMail.objects.get().status == "sent"
    assert queue_mail(subject="x", body="y", recipients=[]) is None


def test_failed_sends_show_to_admins_and_can_be_sent_again(settings):
    admin = user_with_role("admin")
    failed = OutgoingMail.objects.create(
        subject="届出受付のお知らせ",
        body="本文",
        recipients=["a@example.jp"],
        status="failed",
        attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    client = Client()
    client.force_login(admin)
    url = reverse("admin:outbox_outgoingmail_changelist")
    page = client.get(url, {"status__exact": "failed"}).content.decode()
    assert "届出受付のお知らせ" in page and "Connection refused" in page
    mail.outbox.clear()
    client.post(url, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "sent" and len(mail.outbox) == 1
    assert client.get(reverse("admin:outbox_outgoingmail_add")).status_code == 403
