import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_corporate_number
from checklists.models import Catalogue, Item
from legal.models import NotifiedMatter, Regime, change_regime

TEXT_LIMIT = 4000  # long enough for a real answer; over-long input gets a form error, not a 500


UNMET_STATUSES = frozenset({"partial", "not_implemented"})


def is_unmet(status: str, *, allows_not_applicable: bool) -> bool:
    """The one definition of unmet, for live answers and filed snapshots alike: not (fully)
    implemented, or 該当なし where the item does not allow it."""
    return status in UNMET_STATUSES or (status == "not_applicable" and not allows_not_applicable)


def missing_fields(
    status: str, *, implementation: str, justification: str, target_date
) -> list[str]:
    """The one definition of an incomplete answer: what still has to be filled in before
    submission (empty when complete). Also used on rows read without model instances."""
    if not status:
        return [str(_("status"))]
    missing = []
    if status in {"implemented", "partial"} and not implementation:
        missing.append(str(_("how it is implemented")))
    if status == "not_applicable" and not justification:
        missing.append(str(_("justification for not applicable")))
    if status in UNMET_STATUSES and not target_date:
        missing.append(str(_("target date")))
    return missing


def complete_answer(prefix: str = "") -> Q:
    """``missing_fields`` in SQL: an answer with its status and every field its status requires
    (記入済). ``prefix``: the path to the answer, e.g. ``"answers__"``."""
    return (
        ~Q(**{f"{prefix}status": ""})
        & ~Q(**{f"{prefix}status__in": ["implemented", "partial"], f"{prefix}implementation": ""})
        & ~Q(**{f"{prefix}status": "not_applicable", f"{prefix}justification": ""})
        & ~Q(**{f"{prefix}status__in": sorted(UNMET_STATUSES), f"{prefix}target_date": None})
    )


class FilingQuerySet(models.QuerySet["Filing"]):
    def visible_to(self, user):
        """Aggregators see their own company's filings; regulators see submitted ones only."""
        if user.is_aggregator_user:
            return self.filter(organisation_id=user.organisation_id)
        if user.is_regulator_user:
            return self.filter(status=Filing.Status.SUBMITTED)
        return self.none()

    def with_progress(self):
        item_count = (
            Item.objects.filter(catalogue=OuterRef("catalogue"))
            .order_by()
            .values("catalogue")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.select_related("organisation", "catalogue", "submission").annotate(
            answered_count=Count(
                "answers",
                filter=complete_answer("answers__") & Q(answers__moved_by__isnull=True),
            ),
            item_count=Coalesce(Subquery(item_count), 0),
        )


class Filing(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("New notification")
        CHANGE = "change", _("Change notification")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class ChainRole(models.TextChoices):
        COORDINATOR = "coordinator", _("Aggregation coordinator")
        RESOURCE = "resource", _("Resource aggregator")
        BOTH = "both", _("Both")

    # The header facts, written once: what the header form edits, and what must be filled in.
    FACT_FIELDS = (
        "chain_role",
        "importance_class",
        "expected_capacity_kw",
        "planned_start_date",
        "contact_name",
        "contact_email",
        "contact_phone",
    )
    HEADER_FIELDS = (*FACT_FIELDS, "uses_lower_aggregators")
    REQUIRED_HEADER_FIELDS = FACT_FIELDS[:6]  # all but the telephone

    class ImportanceClass(models.TextChoices):
        HIGH = "high", _("High importance (large demand scale)")
        STANDARD = "standard", _("Standard importance")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("aggregator"),
        on_delete=models.PROTECT,
        related_name="filings",
        limit_choices_to={"kind": "aggregator"},
    )
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue version"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEW)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    chain_role = models.CharField(
        _("role in the aggregation chain"), max_length=20, choices=ChainRole.choices, blank=True
    )
    importance_class = models.CharField(
        _("ERAB system-importance class"),
        max_length=20,
        choices=ImportanceClass.choices,
        blank=True,
    )
    expected_capacity_kw = models.PositiveIntegerField(
        _("expected aggregated capacity (kW)"), null=True, blank=True
    )
    planned_start_date = models.DateField(_("planned business start date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    uses_lower_aggregators = models.BooleanField(
        _("uses lower-level aggregators"), null=True, blank=True
    )
    # A change notification states which notified matters (27条の30第1項 一–六) change; the
    # regime (advance 第7項 / after the fact 第9項) follows from them (legal.change_regime).
    changed_matters = models.ManyToManyField(
        NotifiedMatter, verbose_name=_("notified matters that change"), blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # 確認依頼 / 差戻し: staff hand the draft to their officer, who submits it or sends it back.
    submission_requested_at = models.DateTimeField(
        _("submission requested at"), null=True, blank=True, editable=False
    )
    submission_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submission requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    returned_at = models.DateTimeField(_("sent back at"), null=True, blank=True, editable=False)
    handoff_comment = models.TextField(_("hand-off comment"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new", amends__isnull=True)
                | Q(kind="change", amends__isnull=False),
                name="filing_change_amends_a_filing",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]), name="filing_status_valid"
            ),
            models.UniqueConstraint(
                fields=["amends"],
                condition=Q(status="draft"),
                name="filing_one_draft_change_per_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.organisation})"

    def get_absolute_url(self) -> str:
        return reverse("filings:filing_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def awaits_officer(self) -> bool:
        """確認依頼: staff asked an officer to check and submit this draft."""
        return self.is_draft and self.submission_requested_at is not None

    @property
    def was_sent_back(self) -> bool:
        """差戻し: an officer sent the draft back (with a comment) and nobody asked again."""
        return self.is_draft and self.returned_at is not None and not self.awaits_officer

    @property
    def receipt_number(self) -> str:
        submission = getattr(self, "submission", None)
        return submission.receipt_number if submission else ""

    @property
    def regime(self) -> tuple[str, bool]:
        """(regime, settled): a new notification waits 30 days (第3項) like an advance change."""
        if self.kind == self.Kind.NEW:
            return Regime.ADVANCE, True
        return change_regime(self.changed_matters.all())

    @property
    def has_order_window(self) -> bool:
        return self.regime[0] == Regime.ADVANCE

    def uncovered_items(self):
        """Items the catalogue requires of lower-level aggregators that are not marked covered."""
        covered = self.coverage.filter(covered=True).values("item_id")
        return self.catalogue.items.lower_coverage().exclude(pk__in=covered)

    # Annotations of ``FilingQuerySet.with_progress()``; absent on other querysets.
    answered_count: int
    item_count: int

    @property
    def progress_percent(self) -> int:
        """Needs ``with_progress()``."""
        return round(100 * self.answered_count / self.item_count) if self.item_count else 0


def evidence_upload_to(instance, filename: str) -> str:
    # Server-made name: the uploaded name never reaches the file system.
    return f"evidence/{instance.filing_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        ITEM = "item", _("Evidence for checklist items")
        LOWER_REQUIREMENTS = (
            "lower_requirements",
            _("Requirement document for lower-level aggregators"),
        )
        LOWER_CONTRACT = "lower_contract", _("Contract clause with lower-level aggregators")

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="evidence_files")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ITEM)
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_download_url(self) -> str:
        return reverse("filings:evidence_download", args=[self.filing_id, self.pk])


class CarryOver(models.Model):
    """A filing moved from one catalogue version to the next; undone while it is a draft.

    The answers to the old version's items stay on the record (``Answer.moved_by``), read-only,
    so an undo restores them exactly and removed items' answers are never lost."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="carry_overs")
    from_catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("from version"), on_delete=models.PROTECT, related_name="+"
    )
    to_catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("to version"), on_delete=models.PROTECT, related_name="+"
    )
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    moved_at = models.DateTimeField(_("moved at"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("move to a new catalogue version")
        verbose_name_plural = _("moves to a new catalogue version")
        ordering = ["-moved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_catalogue.version} → {self.to_catalogue.version}"


class CurrentRowManager(models.Manager):
    """Rows of the filing's current catalogue version; those of a version it moved away from
    (``moved_by`` set) are kept on the record and read through ``with_moved``."""

    def get_queryset(self):
        return super().get_queryset().filter(moved_by__isnull=True)


class Answer(models.Model):
    class Status(models.TextChoices):
        IMPLEMENTED = "implemented", _("Implemented")
        PARTIAL = "partial", _("Partially implemented")
        NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    class Carry(models.TextChoices):
        NONE = "", _("Confirmed or typed")
        CARRIED = "carried", _("Carried over from the previous version")
        CHECK = "check", _("Carried over from the previous version (to be checked)")

    CONTENT_FIELDS = ("status", "implementation", "justification", "target_date")

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    implementation = models.TextField(_("how it is implemented"), blank=True)
    justification = models.TextField(_("justification for not applicable"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence"), related_name="answers", blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    carry_state = models.CharField(
        _("carried over"), max_length=10, choices=Carry.choices, blank=True, default=""
    )
    carried_from = models.CharField(_("carried over from"), max_length=300, blank=True)
    moved_by = models.ForeignKey(
        CarryOver,
        verbose_name=_("left behind by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="left_answers",
    )

    with_moved = models.Manager()
    objects = CurrentRowManager()

    class Meta:
        base_manager_name = "with_moved"
        default_manager_name = "objects"
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["filing", "item"], name="answer_one_per_item"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["", "implemented", "partial", "not_implemented", "not_applicable"]
                ),
                name="answer_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(carry_state__in=["", "carried", "check"]),
                name="answer_carry_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.get_status_display() or '—'}"

    @property
    def is_unmet(self) -> bool:
        """Not (fully) implemented, or 該当なし where the item does not allow it (needs item)."""
        return is_unmet(self.status, allows_not_applicable=self.item.allows_not_applicable)

    @property
    def needs_fix(self) -> bool:
        return self.status in UNMET_STATUSES

    @property
    def fix_due_after_start(self) -> bool:
        """A criterion item's fix falls after the planned business start (an inquiry candidate)."""
        start = self.filing.planned_start_date
        return bool(
            self.item.is_criterion
            and self.needs_fix
            and start
            and self.target_date
            and self.target_date > start
        )

    def missing_fields(self) -> list[str]:
        """What still has to be filled in before submission (empty when complete)."""
        return missing_fields(
            self.status,
            implementation=self.implementation,
            justification=self.justification,
            target_date=self.target_date,
        )

    @property
    def is_carried(self) -> bool:
        """前版から引継ぎ: carried over and not yet confirmed by the filer."""
        return bool(self.carry_state)

    def content_digest(self) -> str:
        """Fingerprint of what the user sees, to tell their own edits from a colleague's."""
        values = [str(getattr(self, name) or "") for name in self.CONTENT_FIELDS]
        return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


class LowerAggregator(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="lower_aggregators")
    name = models.CharField(_("name"), max_length=200)
    corporate_number = models.CharField(
        _("corporate number (法人番号)"), max_length=13, validators=[validate_corporate_number]
    )
    contract_date = models.DateField(_("contract date"), null=True, blank=True)

    class Meta:
        verbose_name = _("lower-level aggregator")
        verbose_name_plural = _("lower-level aggregators")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "corporate_number"], name="lower_aggregator_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequirementCoverage(models.Model):
    """Whether the requirements imposed on lower-level aggregators cover one ERAB 勧告 item."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="coverage")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    covered = models.BooleanField(_("an equivalent requirement is imposed"), default=False)
    clause_reference = models.CharField(_("where (clause reference)"), max_length=200, blank=True)
    moved_by = models.ForeignKey(
        CarryOver,
        verbose_name=_("left behind by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="left_coverage",
    )

    with_moved = models.Manager()
    objects = CurrentRowManager()

    class Meta:
        base_manager_name = "with_moved"
        default_manager_name = "objects"
        verbose_name = _("requirement coverage")
        verbose_name_plural = _("requirement coverage")
        constraints = [
            models.UniqueConstraint(fields=["filing", "item"], name="coverage_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.covered}"


class Submission(models.Model):
    """The immutable record of what was filed: canonical JSON and its SHA-256."""

    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="submission")
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    canonical_json = models.TextField(editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.receipt_number

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submission is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A submission is immutable.")

    @property
    def snapshot(self) -> dict:
        return json.loads(self.canonical_json)
