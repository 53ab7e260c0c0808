"""What happens in a case: notices, the filer's 弁明書, the Commission's opinion, follow-up and
appeals."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.models import Filing
from orders.models.authority import IssuingAuthority
from orders.models.case import OrderCase


class Notice(models.Model):
    """A formal notice of a case: drafted by a reviewer, issued by a lead with a document number.
    Once issued, ``content`` holds what it says (the PDF prints only that) and nothing changes."""

    class Kind(models.TextChoices):
        PROCEDURE_NOTICE = "procedure_notice", _("Notice of the opportunity to explain")
        ORDER = "order", _("Order document")
        CLOSING_NOTICE = "closing_notice", _("Notice of closing without an order")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    class Delivery(models.TextChoices):
        ELECTRONIC = "electronic", _("In the portal and by e-mail (consent on record)")
        PAPER = "paper", _("On paper")

    case = models.ForeignKey(OrderCase, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    disposition = models.TextField(_("disposition"), max_length=4000)
    reasons = models.TextField(_("reasons"), max_length=8000, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    place = models.CharField(_("place (submission or hearing)"), max_length=300, blank=True)
    hearing_at = models.DateTimeField(_("hearing date and time"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    authority = models.ForeignKey(
        IssuingAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_on = models.DateField(_("date of the notice"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    sequence_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    content = models.JSONField(default=dict, blank=True, editable=False)
    delivery = models.CharField(
        _("delivery method"), max_length=20, choices=Delivery.choices, blank=True
    )
    delivered_on = models.DateField(_("date of arrival"), null=True, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)

    class Meta:
        verbose_name = _("formal notice")
        verbose_name_plural = _("formal notices")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="one_notice_per_kind"),
            models.UniqueConstraint(
                fields=["authority", "document_number"],
                condition=~Q(document_number=""),
                name="document_number_unique",
            ),
            models.UniqueConstraint(
                fields=["authority", "sequence_year", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="document_sequence_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", document_number="", issued_at__isnull=True)
                | Q(status="issued", issued_at__isnull=False, issued_on__isnull=False)
                & ~Q(document_number="")
                & ~Q(delivery=""),
                name="issued_notice_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number or _('(draft)')}"

    def get_absolute_url(self) -> str:
        return reverse("orders:case_detail", args=[self.case_id]) + f"#notice-{self.pk}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None

    @property
    def title(self) -> str:
        if self.kind == self.Kind.PROCEDURE_NOTICE and self.case.procedure == "chomon":
            return str(_("Notice of hearing"))
        return str(self.get_kind_display())


class Explanation(models.Model):
    """The filer's 弁明書 (or its declaration not to submit one, or one received on paper)."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("Written explanation submitted in the portal")
        DECLINED = "declined", _("Declared that no explanation will be submitted")
        PAPER = "paper", _("Received on paper (uploaded by the regulator)")

    case = models.OneToOneField(OrderCase, on_delete=models.PROTECT, related_name="explanation")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("explanation"), max_length=20000, blank=True)
    received_on = models.DateField(_("received on"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("written explanation")
        verbose_name_plural = _("written explanations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="declined", text="") | Q(kind__in=["written", "paper"]),
                name="declined_explanation_empty",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


def attachment_upload_to(instance, filename: str) -> str:
    return f"explanations/{uuid.uuid4().hex}"  # server-made: the uploaded name is metadata only


class ExplanationFile(models.Model):
    explanation = models.ForeignKey(Explanation, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CommissionOpinion(models.Model):
    """電力・ガス取引監視等委員会の意見: asked, received, published; shown to the filer only once
    the regulator releases it."""

    case = models.OneToOneField(OrderCase, on_delete=models.PROTECT, related_name="opinion")
    requested_on = models.DateField(_("requested on"))
    opinion = models.TextField(_("opinion text"), max_length=8000, blank=True)
    arrived_on = models.DateField(_("opinion arrived on"), null=True, blank=True)
    published_on = models.DateField(_("published by the Commission on"), null=True, blank=True)
    released = models.BooleanField(_("released to the filer"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Commission opinion")
        verbose_name_plural = _("Commission opinions")
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True, opinion="")
                | Q(arrived_on__isnull=False) & ~Q(opinion=""),
                name="opinion_arrived_with_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.requested_on}"

    @property
    def is_recorded(self) -> bool:
        return self.arrived_on is not None


class FollowUp(models.Model):
    """After an order: the improvement plan and progress report, or the change notification that
    answers a change order; each accepted or returned by a reviewer."""

    class Kind(models.TextChoices):
        IMPROVEMENT_PLAN = "improvement_plan", _("Improvement plan")
        PROGRESS_REPORT = "progress_report", _("Progress report")
        CHANGE_NOTIFICATION = "change_notification", _("Change notification answering the order")

    class Status(models.TextChoices):
        DUE = "due", _("Awaiting the filer")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned to the filer")

    case = models.ForeignKey(OrderCase, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="due")
    text = models.TextField(_("content"), max_length=20000, blank=True)
    filing = models.ForeignKey(
        Filing, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(comment=""),
                name="returned_follow_up_has_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"

    @property
    def awaits_filer(self) -> bool:
        return self.status in {self.Status.DUE, self.Status.RETURNED}


class Appeal(models.Model):
    """A request for review or a suit received against the order: a plain record."""

    class Kind(models.TextChoices):
        REQUEST_FOR_REVIEW = "request_for_review", _("Request for review")
        SUIT = "suit", _("Suit for revocation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending decision")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(OrderCase, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal record")
        verbose_name_plural = _("appeal records")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


class CaseReminder(models.Model):
    """A reminder e-mail that went out, so that each deadline is reminded once."""

    class Kind(models.TextChoices):
        EXPLANATION_DUE = "explanation_due", _("Written explanation due soon")
        FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due soon")
        ORDER_WINDOW_ENDING = "order_window_ending", _("Order window ending soon")

    case = models.ForeignKey(OrderCase, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "due_on"], name="case_reminder_once_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id} {self.due_on}"
