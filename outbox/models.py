"""Every e-mail the portal sends, stored before it is sent (the outbox)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued mail whose next attempt is due."""
        return self.filter(
            status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now or timezone.now()
        )


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    recipients = models.JSONField(_("recipients"))  # a list of addresses, one message to all
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sent", "failed"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @staticmethod
    def retry_delay(attempts: int) -> timedelta:
        """Back-off after the ``attempts``-th failure: 1, 2, 4 ... minutes, at most an hour."""
        return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
