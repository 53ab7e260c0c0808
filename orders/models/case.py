"""The order procedure (処分手続) of one review or one security incident report."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from reviews.models import IncidentReport, Review


class OrderCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=OrderCase.Status.OPEN)

    def visible_to(self, user):
        """Regulators see every case; a filer its own company's only, once a notice reached it."""
        if user.is_regulator_user:
            return self
        if user.is_aggregator_user:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class OrderCase(models.Model):
    class Kind(models.TextChoices):
        CHANGE_ORDER = "change_order", _("Change order")
        SUSPENSION_ORDER = "suspension_order", _("Suspension order")
        IMPROVEMENT_ORDER = "improvement_order", _("Business improvement order")

    class Procedure(models.TextChoices):
        BEMMEI = "bemmei", _("Opportunity for a written explanation")
        CHOMON = "chomon", _("Hearing")

    class Status(models.TextChoices):
        OPEN = "open", _("In procedure")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        COMPLIED = "complied", _("Order complied with")
        NO_ORDER = "no_order", _("Closed without an order")

    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="order_case"
    )
    incident = models.OneToOneField(
        IncidentReport, on_delete=models.PROTECT, null=True, blank=True, related_name="order_case"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("addressee"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("intended order"), max_length=30, choices=Kind.choices)
    representative = models.CharField(
        _("representative of the addressee"), max_length=100, blank=True
    )
    procedure = models.CharField(
        _("procedure (explanation or hearing)"),
        max_length=20,
        choices=Procedure.choices,
        blank=True,
    )
    procedure_reason = models.TextField(_("reason for the procedure"), blank=True)
    internal_notes = models.TextField(_("internal notes (regulator only)"), blank=True)
    catalogue_version = models.CharField(_("catalogue version judged under"), max_length=40)
    basis_version = models.CharField(_("legal basis version"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(
        _("outcome of the case"), max_length=20, choices=Outcome.choices, blank=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = OrderCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("order procedure")
        verbose_name_plural = _("order procedures")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, incident__isnull=True)
                | Q(review__isnull=True, incident__isnull=False),
                name="case_for_review_or_incident",
            ),
            models.CheckConstraint(
                condition=Q(status="open", outcome="")
                | Q(status="closed", outcome__in=["complied", "no_order"]),
                name="case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(procedure="") | ~Q(procedure_reason=""),
                name="case_procedure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("orders:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_change_order(self) -> bool:
        return self.kind in {self.Kind.CHANGE_ORDER, self.Kind.SUSPENSION_ORDER}

    @property
    def source(self):
        """The review or the security incident report the case was opened on."""
        return self.review or self.incident

    @property
    def order_window_end(self) -> date | None:
        """The last day a change or suspension order may issue (27条の30第5項, data of the
        review's clock); an improvement order has no such window."""
        if self.review is None:
            return None
        return self.review.order_window_end

    @property
    def order_window_days_left(self) -> int | None:
        end = self.order_window_end
        return None if end is None else (end - timezone.localdate()).days

    @property
    def is_order_window_open(self) -> bool:
        """An improvement order has no window; a change order only within the review's."""
        return self.review is None or self.review.is_order_window_open

    def upheld_flags(self):
        return self.source.flags.upheld_candidates().order_by("id")
