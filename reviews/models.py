import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from checklists.models import Item
from filings.completeness import earliest_start, period_end
from filings.models import Filing
from legal.models import LegalBasis


def order_window_end_expression():
    """The last day an order may issue (27条の30第5項): the extended period, else the 30th day."""
    return Coalesce("window_extended_to", "deadline")


MAX_EXTENSION_DAYS = 30  # 電気事業法第27条の30第6項「三十日の範囲内において」


class ReviewQuerySet(models.QuerySet):
    def for_queue(self):
        """What the queue and its CSV show; never the filed snapshot (about 22 KB a filing)."""
        return self.select_related("filing__organisation", "filing__submission", "assignee").defer(
            "filing__submission__canonical_json"
        )

    def open(self):
        """Not yet determined."""
        return self.exclude(status=Review.Status.DECIDED)

    def overdue(self):
        """Open, and the order window (extended or not) has closed."""
        return (
            self.open()
            .filter(has_order_window=True)
            .alias(window_end=order_window_end_expression())
            .filter(window_end__lt=timezone.localdate())
        )

    def with_window_days_left(self):
        """``window_end`` and ``window_days_left`` (a timedelta; None where no order window
        applies, a change notified after the fact), for sorting the queue by days left."""
        today = models.Value(timezone.localdate(), output_field=models.DateField())
        return self.annotate(
            window_end=models.Case(
                models.When(has_order_window=True, then=order_window_end_expression()),
                default=None,
                output_field=models.DateField(),
            )
        ).annotate(
            window_days_left=models.ExpressionWrapper(
                models.F("window_end") - today, output_field=models.DurationField()
            )
        )

    def window_closing(self, days: int):
        """Open, with an order window that ends within ``days`` days from today (inclusive),
        soonest first."""
        today = timezone.localdate()
        return (
            self.open()
            .filter(has_order_window=True)
            .alias(window_end=order_window_end_expression())
            .filter(window_end__range=(today, today + timedelta(days=days)))
            .order_by(order_window_end_expression().asc(), "id")
        )

    def ready_for_determination(self):
        """Open, and no flag left to uphold or withdraw: the lead can determine."""
        waiting = Flag.objects.awaiting_decision().filter(review__isnull=False)
        return self.open().exclude(pk__in=waiting.values("review_id"))


class Review(models.Model):
    """The regulator's handling of one submitted filing."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        INQUIRY = "inquiry", _("Waiting for the filer")
        DECIDED = "decided", _("Decided")

    class Determination(models.TextChoices):
        NO_ORDER = "no_order", _("No order needed (review closed)")
        ORDER_PROCEDURE = "order_procedure", _("Proceed to the order procedure")

    filing = models.OneToOneField(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="review"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    accepted_on = models.DateField(
        _("acceptance date"),
        help_text=_("Recorded by the regulator; defaults to the date of receipt."),
    )
    deadline = models.DateField(_("last day of the 30-day period"))
    # The statute's clock (電気事業法第27条の30): 第4項 shortens the waiting period (business may
    # start earlier; the order window stays), 第6項 extends the period and with it the window.
    shortened_to = models.DateField(_("waiting period shortened to"), null=True, blank=True)
    shortening_reason = models.TextField(_("reason for shortening"), blank=True)
    window_extended_to = models.DateField(_("period extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # False for a change notified after the fact (第9項): no waiting period, no order window.
    has_order_window = models.BooleanField(_("order window applies"), default=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reviews",
    )
    open_candidates = models.PositiveIntegerField(_("open candidates"), default=0)
    determination = models.CharField(
        _("determination"), max_length=30, choices=Determination.choices, blank=True
    )
    determination_reason = models.TextField(_("reasons"), blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    determined_at = models.DateTimeField(_("determined at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["deadline", "id"]
        # The queue's orders and its status filter, so that a page of 25 is read off an index
        # instead of sorting every review (10,000 and more).
        indexes = [
            models.Index(fields=["deadline", "id"], name="review_deadline_idx"),
            models.Index(fields=["status", "deadline", "id"], name="review_status_deadline_idx"),
            models.Index(fields=["-received_at", "-id"], name="review_received_idx"),
            models.Index(
                fields=["-open_candidates", "deadline", "id"], name="review_candidates_idx"
            ),
            models.Index(order_window_end_expression(), "id", name="review_window_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "under_review", "inquiry", "decided"]),
                name="review_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="decided") & ~Q(determination="") & ~Q(determination_reason=""))
                | (~Q(status="decided") & Q(determination="")),
                name="review_decided_has_determination",
            ),
            models.CheckConstraint(
                condition=Q(shortened_to__isnull=True) | ~Q(shortening_reason=""),
                name="review_shortening_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(window_extended_to__isnull=True) | ~Q(extension_reason=""),
                name="review_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(shortened_to__isnull=True) | Q(shortened_to__lt=models.F("deadline")),
                name="review_shortened_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(window_extended_to__isnull=True)
                | Q(window_extended_to__gt=models.F("deadline")),
                name="review_extended_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(shortened_to__isnull=True) | Q(window_extended_to__isnull=True),
                name="review_shortened_or_extended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing.receipt_number} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days

    @property
    def is_overdue(self) -> bool:
        """Open after the order window has closed (an extension keeps it open longer)."""
        return not self.is_decided and self.has_order_window and not self.is_order_window_open

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def earliest_start(self) -> date:
        return earliest_start(self.accepted_on)

    # --- the statute's clock (27条の30第3項–第6項) ---------------------------------------------
    @property
    def waiting_period_end(self) -> date:
        """Last day of the waiting period (第3項): shortened (第4項) or extended (第6項 extends
        「同項の期間」, the 第3項 period itself, so the start moves with the window)."""
        return self.shortened_to or self.window_extended_to or self.deadline

    @property
    def business_start_from(self) -> date:
        return self.waiting_period_end + timedelta(days=1)

    @property
    def order_window_end(self) -> date:
        """Last day a change or suspension order may issue (第5項): 30 days from 受理, or the
        period extended under 第6項. A 第4項 shortening does not move it."""
        return self.window_extended_to or self.deadline

    @property
    def order_window_days_left(self) -> int:
        return (self.order_window_end - timezone.localdate()).days

    @property
    def is_order_window_open(self) -> bool:
        return self.has_order_window and timezone.localdate() <= self.order_window_end

    @property
    def window_differs_from_start(self) -> bool:
        """Show the two dates apart: the waiting period was shortened or the period extended."""
        return self.waiting_period_end != self.order_window_end

    @property
    def extension_limit(self) -> date:
        """第6項: by at most 30 days in total beyond the 30-day period."""
        return self.deadline + timedelta(days=MAX_EXTENSION_DAYS)

    @property
    def planned_start_too_early(self) -> bool:
        """The filed business start falls within the 30-day period counted from 受理日."""
        start = self.filing.planned_start_date
        return start is not None and start < self.earliest_start

    def inquiries(self):
        return Inquiry.objects.filter(flag__review=self).select_related("flag").order_by("sent_at")

    @staticmethod
    def deadline_for(accepted_on: date) -> date:
        return period_end(accepted_on)


class PeriodNotice(models.Model):
    """期間短縮通知 (第4項) or 期間延長通知書 (第6項: the new period and the reason, without delay):
    issued to the filer by the lead, shown in the portal, e-mailed and printed as a signed PDF."""

    class Kind(models.TextChoices):
        SHORTENING = "shortening", _("Notice shortening the period")
        EXTENSION = "extension", _("Notice extending the period")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="period_notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    accepted_on = models.DateField(_("acceptance date"))
    previous_end = models.DateField(_("period ended on"))
    new_end = models.DateField(_("new last day of the period"))
    reason = models.TextField(_("reason"))
    basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    emailed_to = models.TextField(_("e-mailed to"), blank=True)

    class Meta:
        verbose_name = _("period notice")
        verbose_name_plural = _("period notices")
        ordering = ["issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["shortening", "extension"]), name="period_notice_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="period_notice_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.new_end}"

    @property
    def business_start_from(self) -> date:
        return self.new_end + timedelta(days=1)


class IncidentReport(models.Model):
    """セキュリティ事故報告: filed by an aggregator during operation."""

    class SupplyImpact(models.TextChoices):
        DISRUPTED = "disrupted", _("Supply disrupted")
        AT_RISK = "at_risk", _("Supply at risk")
        NONE = "none", _("No supply impact")

    class Location(models.TextChoices):
        OWN = "own", _("Own systems")
        LOWER = "lower", _("A lower-level aggregator")

    class Determination(models.TextChoices):
        NO_ORDER = "no_order", _("No business-improvement order needed")
        ORDER_PROCEDURE = (
            "order_procedure",
            _("Proceed to the business-improvement-order procedure"),
        )

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("aggregator"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    detected_at = models.DateTimeField(_("when it was detected"))
    contained_at = models.DateTimeField(_("when it was contained"), null=True, blank=True)
    location = models.CharField(
        _("where it occurred"), max_length=20, choices=Location.choices, default=Location.OWN
    )
    lower_aggregator_name = models.CharField(
        _("lower-level aggregator concerned"), max_length=200, blank=True
    )
    capacity_affected_kw = models.PositiveIntegerField(
        _("capacity affected (kW)"), null=True, blank=True
    )
    notified_parties = models.TextField(_("whom you notified"), max_length=2000, blank=True)
    summary = models.TextField(_("what happened"), max_length=4000)
    affected_systems = models.TextField(_("affected systems"), max_length=2000)
    supply_impact = models.CharField(
        _("supply impact"), max_length=20, choices=SupplyImpact.choices
    )
    related_items = models.ManyToManyField(
        Item, verbose_name=_("related checklist items"), blank=True, related_name="+"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    determination = models.CharField(
        _("determination"), max_length=30, choices=Determination.choices, blank=True
    )
    determination_reason = models.TextField(_("reasons"), blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    determined_at = models.DateTimeField(_("determined at"), null=True, blank=True)

    class Meta:
        verbose_name = _("security incident report")
        verbose_name_plural = _("security incident reports")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supply_impact__in=["disrupted", "at_risk", "none"]),
                name="incident_supply_impact_valid",
            ),
            models.CheckConstraint(
                condition=Q(location="own", lower_aggregator_name="")
                | Q(location="lower") & ~Q(lower_aggregator_name=""),
                name="incident_lower_location_named",
            ),
            models.CheckConstraint(
                condition=Q(determination="")
                | Q(determination__in=["no_order", "order_procedure"])
                & ~Q(determination_reason=""),
                name="incident_determination_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:incident_detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return bool(self.determination)

    @property
    def has_supply_impact(self) -> bool:
        return self.supply_impact != self.SupplyImpact.NONE


CANDIDATE_KINDS = ("change_order", "improvement_order")
FINAL_DECISIONS = ("uphold", "withdraw")


class FlagQuerySet(models.QuerySet):
    def candidates(self):
        """Order candidates: change-order and business-improvement-order."""
        return self.filter(kind__in=CANDIDATE_KINDS)

    def open_candidates(self):
        return self.candidates().exclude(decision__in=FINAL_DECISIONS)

    def upheld_candidates(self):
        return self.candidates().filter(decision="uphold")

    def awaiting_decision(self):
        """Still to be upheld or withdrawn before the determination (reference findings never)."""
        return self.exclude(decision__in=FINAL_DECISIONS).exclude(kind="reference")

    def in_review_order(self):
        """By kind as the review page groups them (candidates first), then as the rules raised
        them (checklist order)."""
        kinds = [kind for kind, _label in Flag.Kind.choices]
        rank = models.Case(
            *(models.When(kind=kind, then=models.Value(n)) for n, kind in enumerate(kinds)),
            default=models.Value(len(kinds)),
        )
        return self.order_by(rank, "id")

    def with_category(self):
        """Each flag with the category code of its item, in the catalogue its filing pinned."""
        item = Item.objects.filter(
            catalogue=models.OuterRef("review__filing__catalogue"),
            code=models.OuterRef("item_code"),
            is_criterion=True,
        ).order_by()  # one item at most (unique code): no sort, no join to its catalogue
        return self.annotate(category=models.Subquery(item.values("category__code")[:1]))

    def kind_counts(self) -> dict[str, int]:
        """How many flags of each kind (one query)."""
        rows = self.order_by().values_list("kind").annotate(n=models.Count("id"))
        return dict(rows)


class Flag(models.Model):
    """What a rule found, why (legal basis), and the reviewer's reasoned decision."""

    class Kind(models.TextChoices):
        CHANGE_ORDER = "change_order", _("Change-order candidate")
        IMPROVEMENT_ORDER = "improvement_order", _("Business-improvement-order candidate")
        INQUIRY_CANDIDATE = "inquiry_candidate", _("Inquiry candidate")
        REFERENCE = "reference", _("Reference finding")

    class Decision(models.TextChoices):
        UPHOLD = "uphold", _("Uphold")
        WITHDRAW = "withdraw", _("Withdraw")
        INQUIRE = "inquire", _("Inquire")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    incident = models.ForeignKey(
        IncidentReport, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    rule = models.CharField(_("rule"), max_length=60)
    item_code = models.CharField(_("item"), max_length=20, blank=True)
    item_title = models.CharField(_("item title"), max_length=200, blank=True)
    finding = models.TextField(_("what triggered it"))
    # The basis version the rule cited; it never changes, so the flag keeps its words after a
    # new version is published. Flags raised before bases were data keep their text instead.
    basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("legal basis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_basis = models.TextField(
        _("legal basis (text recorded before bases were data)"), blank=True
    )
    # An English reading of the two, for English pages; the Japanese above is the record.
    finding_en = models.TextField(_("what triggered it (English)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English translation)"), blank=True)
    basis_verified = models.BooleanField(_("legal basis verified"), default=False)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    no_order_reason = models.TextField(
        _("reason for no order despite the upheld candidate"), blank=True
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["id"]
        # The navbar's count of answered inquiries starts from the few flags in 照会, not from
        # every inquiry (5 ms at 10,000 filings without it). The dashboard's counts read these
        # two covering indexes instead of every flag's row (issue 20).
        indexes = [
            models.Index(fields=["decision"], name="flag_decision_idx"),
            models.Index(fields=["rule", "item_code", "item_title"], name="flag_rule_item_idx"),
            models.Index(
                fields=["kind", "decision", "review", "item_code"], name="flag_candidates_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, incident__isnull=True)
                | Q(review__isnull=True, incident__isnull=False),
                name="flag_belongs_to_review_or_incident",
            ),
            models.CheckConstraint(
                condition=~Q(decision="withdraw") | ~Q(decision_reason=""),
                name="flag_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["change_order", "improvement_order", "inquiry_candidate", "reference"]
                ),
                name="flag_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(basis__isnull=False) | ~Q(legal_basis=""),
                name="flag_cites_a_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_code}"

    @property
    def finding_text(self) -> str:
        """The finding in the page's language (Japanese, the record, when there is no English)."""
        english = (translation.get_language() or "ja").startswith("en")
        return self.finding_en if english and self.finding_en else self.finding

    @property
    def basis_text(self) -> str:
        if self.basis is not None:
            return self.basis.text_in_language
        english = (translation.get_language() or "ja").startswith("en")
        return self.legal_basis_en if english and self.legal_basis_en else self.legal_basis

    @property
    def basis_record_text(self) -> str:
        """The Japanese text, the record that documents print."""
        return self.basis.text if self.basis is not None else self.legal_basis

    @property
    def cited_basis(self) -> dict:
        """What pages and documents print of the basis: the version the flag cited, with its
        citation and verification state. A flag raised before bases were data keeps its text and
        is shown as 出典未確認 (its basis was never verified)."""
        basis = self.basis
        if basis is not None:
            return {
                "key": f"basis-{basis.pk}",
                "code": basis.code,
                "version": basis.basis_set.version,
                "text": basis.text,
                "text_in_language": basis.text_in_language,
                "citation": basis.citation,
                "verification_label": basis.verification_label,
                "is_verified": basis.is_verified,
            }
        return {
            "key": f"text-{self.legal_basis}",
            "code": "",
            "version": "",
            "text": self.legal_basis,
            "text_in_language": self.basis_text,
            "citation": "",
            "verification_label": str(_("Source unverified")),
            "is_verified": False,
        }

    @property
    def awaits_decision(self) -> bool:
        return not self.is_final and self.kind != self.Kind.REFERENCE

    @property
    def is_candidate(self) -> bool:
        return self.kind in {self.Kind.CHANGE_ORDER, self.Kind.IMPROVEMENT_ORDER}

    @property
    def is_final(self) -> bool:
        return self.decision in {self.Decision.UPHOLD, self.Decision.WITHDRAW}

    @property
    def is_upheld_candidate(self) -> bool:
        return self.is_candidate and self.decision == self.Decision.UPHOLD

    @property
    def awaiting_answer(self) -> bool:
        """Uses the prefetched inquiries."""
        return any(not inquiry.is_answered for inquiry in self.inquiries.all())


def inquiry_upload_to(instance, filename: str) -> str:
    return f"inquiries/{uuid.uuid4().hex}"  # server-made: the uploaded name is metadata only


class InquiryQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def for_organisation(self, organisation_id: int):
        """Asked of one company, about its filings or its security incident reports."""
        return self.filter(
            models.Q(flag__review__filing__organisation_id=organisation_id)
            | models.Q(flag__incident__organisation_id=organisation_id)
        )

    def to_read(self):
        """Answered, and the flag still waits for the reviewer's final decision."""
        return self.filter(answered_at__isnull=False, flag__decision="inquire")


class Inquiry(models.Model):
    """照会: a question to the filer about one flag, answered in the portal."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="inquiries")
    question = models.TextField(_("question"), max_length=4000)
    due_date = models.DateField(_("answer by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    attachment = models.FileField(upload_to=inquiry_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    attachment_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    attachment_size = models.PositiveBigIntegerField(null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.flag} ({self.due_date})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:inquiry_detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_late(self) -> bool:
        return self.answered_at is not None and timezone.localdate(self.answered_at) > self.due_date

    @property
    def is_overdue(self) -> bool:
        """Not answered, and the due date has passed."""
        return self.answered_at is None and timezone.localdate() > self.due_date


class Reminder(models.Model):
    """A reminder e-mail that went out, so that each goes out once per item and threshold."""

    class Kind(models.TextChoices):
        INQUIRY_DUE = "inquiry_due", _("Inquiry due soon")
        REVIEW_PERIOD_ENDING = "review_period_ending", _("Review period ending soon")
        ORDER_WINDOW_ENDING = "order_window_ending", _("Order window ending soon")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, null=True, blank=True)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, null=True, blank=True)
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "inquiry", "days_before"],
                condition=Q(inquiry__isnull=False),
                name="reminder_once_per_inquiry",
            ),
            models.UniqueConstraint(
                fields=["kind", "review", "days_before"],
                condition=Q(review__isnull=False),
                name="reminder_once_per_review",
            ),
            models.CheckConstraint(
                condition=Q(inquiry__isnull=False, review__isnull=True)
                | Q(inquiry__isnull=True, review__isnull=False),
                name="reminder_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.inquiry_id or self.review_id} −{self.days_before}"
