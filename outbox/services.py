"""Queueing and delivering e-mail. A mail server that is down never fails the request that
queued the mail: the message is stored in the request's transaction and sent by a task after
the commit; a failed send is retried with back-off and, after MAX_ATTEMPTS, left failed for the
admins to see (admin site, 送信メール).

``deliver_mail`` is the task (Django's tasks framework). On a backend that can defer tasks
(django-tasks-db in production) a failure schedules the next attempt itself; on the immediate
backend (development, tests) ``manage.py send_outbox`` (cron, every few minutes) sends what is
due. Either way each attempt locks its row, so two workers never send one message twice.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from outbox.models import MAX_ATTEMPTS, OutgoingMail

logger = logging.getLogger(__name__)


def queue_mail(*, subject: str, body: str, recipients: Iterable[str]) -> OutgoingMail | None:
    """Store one message to ``recipients`` in the current transaction; send it after commit."""
    addresses = sorted(set(recipients))
    if not addresses:
        return None
    mail = OutgoingMail.objects.create(subject=subject[:300], body=body, recipients=addresses)
    transaction.on_commit(lambda: enqueue_delivery(mail.pk))
    return mail


def enqueue_delivery(mail_id: int, *, run_after: datetime | None = None) -> None:
    try:
        (deliver_mail.using(run_after=run_after) if run_after else deliver_mail).enqueue(mail_id)
    except Exception:  # the queue itself is down: send_outbox picks the message up
        logger.exception("Could not enqueue outgoing mail %s", mail_id)


@task
def deliver_mail(mail_id: int) -> str:
    """One attempt; never raises, so that a mail outage cannot fail whoever enqueued it."""
    status, retry_at = attempt_delivery(mail_id=mail_id)
    if retry_at is not None and default_task_backend.supports_defer:
        enqueue_delivery(mail_id, run_after=retry_at)
    return status


def attempt_delivery(*, mail_id: int, force: bool = False) -> tuple[str, datetime | None]:
    """Send one queued message if due (or ``force``): its status afterwards and, when it will be
    retried, when. The attempt is counted and the next one scheduled *before* sending, in a short
    transaction: that is the lease that keeps other workers off it, and no lock is held while
    the mail server takes its time."""
    now = timezone.now()
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return (mail.status if mail else "missing"), None
        if not force and mail.next_attempt_at > now:
            return mail.status, mail.next_attempt_at
        mail.attempts += 1
        mail.next_attempt_at = now + OutgoingMail.retry_delay(mail.attempts)
        mail.save(update_fields=["attempts", "next_attempt_at"])
    try:
        send_mail(mail.subject, mail.body, None, mail.recipients)
    except Exception as error:  # SMTP errors, refused connections, timeouts, DNS
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = OutgoingMail.Status.FAILED
            logger.error("Outgoing mail %s failed for good: %s", mail.pk, mail.last_error)
        else:
            logger.warning("Outgoing mail %s failed, will retry: %s", mail.pk, mail.last_error)
    else:
        mail.status, mail.sent_at, mail.last_error = OutgoingMail.Status.SENT, timezone.now(), ""
    mail.save(update_fields=["status", "sent_at", "last_error"])
    retry = mail.next_attempt_at if mail.status == OutgoingMail.Status.QUEUED else None
    return mail.status, retry


def send_due_mail(*, force: bool = False) -> dict[str, int]:
    """Every queued message that is due (all queued ones with ``force``): one attempt each."""
    ids = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
    if not force:
        ids = ids.due()
    counts: dict[str, int] = {}
    for mail_id in ids.order_by("id").values_list("id", flat=True):
        status, _retry = attempt_delivery(mail_id=mail_id, force=force)
        counts[status] = counts.get(status, 0) + 1
    return counts
