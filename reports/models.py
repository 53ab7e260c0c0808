"""A signed PDF (or the evidence package) of a filing, rendered in the background and stored."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filings.models import Filing
from reviews.models import PeriodNotice


def report_upload_to(instance, filename: str) -> str:
    return f"reports/{instance.filing_id}/{uuid.uuid4().hex}"


class Report(models.Model):
    """A signed PDF (or the evidence package) rendered in the background and stored."""

    class Kind(models.TextChoices):
        FILING_REPORT = "filing_report", _("Filing report")
        REVIEW_RECORD = "review_record", _("Review record")
        DETERMINATION_NOTICE = "determination_notice", _("Determination notice")
        EVIDENCE_PACKAGE = "evidence_package", _("Evidence package")
        PERIOD_SHORTENING_NOTICE = "period_shortening_notice", _("Notice shortening the period")
        PERIOD_EXTENSION_NOTICE = "period_extension_notice", _("Notice extending the period")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("reason"), blank=True)
    source_digest = models.CharField(max_length=64, editable=False)
    file = models.FileField(upload_to=report_upload_to, max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # The period notice (期間短縮通知 / 期間延長通知書) this PDF prints; notices of both kinds only.
    notice = models.ForeignKey(
        PeriodNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One document per filing, kind and content: asking again serves the stored one.
            models.UniqueConstraint(
                fields=["filing", "kind", "source_digest"], name="report_once_per_content"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["period_shortening_notice", "period_extension_notice"],
                    notice__isnull=False,
                )
                | (
                    ~Q(kind__in=["period_shortening_notice", "period_extension_notice"])
                    & Q(notice__isnull=True)
                ),
                name="report_notice_kinds_print_a_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filing.receipt_number}"

    @property
    def is_busy(self) -> bool:
        """Queued or rendering: a request now would not start another rendering."""
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}

    @property
    def file_name(self) -> str:
        extension = "zip" if self.kind == self.Kind.EVIDENCE_PACKAGE else "pdf"
        return f"{self.kind}-{self.filing.receipt_number}.{extension}"


def notice_upload_to(instance, filename: str) -> str:
    return f"notices/{instance.notice_id}/{uuid.uuid4().hex}"


class NoticeDocument(models.Model):
    """The signed PDF of an issued formal notice of an order procedure (rendered once, from the
    content frozen at issue, and served again)."""

    notice = models.OneToOneField(
        "orders.Notice", on_delete=models.PROTECT, related_name="document"
    )
    file = models.FileField(upload_to=notice_upload_to, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed notice")
        verbose_name_plural = _("signed notices")

    def __str__(self) -> str:
        return self.notice.document_number

    @property
    def file_name(self) -> str:
        return f"{self.notice.kind}-{self.notice.document_number}.pdf"
