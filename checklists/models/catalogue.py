"""Catalogue versions, their categories, items and sources; frozen once published."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checklists.models.guidelines import UNVERIFIED, GuidelineEdition, Verification, localised


class CatalogueQuerySet(models.QuerySet["Catalogue"]):
    def published(self):
        return self.filter(status=Catalogue.Status.PUBLISHED)

    def in_effect(self, on: date | None = None):
        """Published versions whose effective date has come (today by default)."""
        on = on or timezone.localdate()
        return self.published().filter(
            models.Q(effective_on__isnull=True) | models.Q(effective_on__lte=on)
        )

    def current(self):
        """The newest version in effect, the one new filings pin (and drafts may move to)."""
        return self.in_effect().order_by("-published_at", "-id").first()


_CatalogueManagerBase = models.Manager.from_queryset(CatalogueQuerySet)


class CatalogueManager(_CatalogueManagerBase):
    def get_by_natural_key(self, version):
        return self.get(version=version)


class Catalogue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.CharField(_("version"), max_length=40, unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    effective_on = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_(
            "New filings use this version from this date; filings started before it stay on "
            "their version unless moved."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
    )

    objects = CatalogueManager()

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="draft", published_at__isnull=True)
                    | models.Q(status="published", published_at__isnull=False)
                ),
                name="catalogue_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_ja} ({self.version})"

    def natural_key(self):
        return (self.version,)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def title(self) -> str:
        return localised(self, "title")


class FrozenWhenPublished(models.Model):
    """Rows of a published catalogue never change: filings point at them."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def owning_catalogue_id(self) -> int | None:
        raise NotImplementedError

    def _refuse_if_published(self) -> None:
        catalogue_id = self.owning_catalogue_id()
        if catalogue_id and Catalogue.objects.filter(pk=catalogue_id, status="published").exists():
            raise ValidationError(
                _("A published catalogue version cannot be changed. Make a new draft version.")
            )


class CategoryManager(models.Manager["Category"]):
    def get_by_natural_key(self, version, code):
        return self.get(catalogue__version=version, code=code)


class Category(FrozenWhenPublished):
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveIntegerField(_("order"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    objects = CategoryManager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["catalogue", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name_ja

    def natural_key(self):
        return (self.catalogue.version, self.code)

    # Django reads this function attribute; mypy cannot declare attributes on functions.
    natural_key.dependencies = ["checklists.catalogue"]  # type: ignore[attr-defined]

    def owning_catalogue_id(self) -> int:
        return self.catalogue_id

    @property
    def name(self) -> str:
        return localised(self, "name")


class ReferenceSection:
    """The one section that holds every reference item, after the criterion categories."""

    code = "REF"
    name = _(
        "Reference items outside the criteria (not in the criterion document; never grounds "
        "for a change order)"
    )


REFERENCE_SECTION = ReferenceSection()


def section_order(path: str = "") -> list:
    """Criterion items by category, then the reference section in the catalogue's own order.

    ``path`` reaches the item from another model, e.g. ``"item__"`` for answers."""
    by_category = models.Case(
        models.When(**{f"{path}is_criterion": True}, then=f"{path}category__order"),
        default=models.Value(0),
    )
    return [f"-{path}is_criterion", by_category, f"{path}order", f"{path}code"]


class ItemQuerySet(models.QuerySet["Item"]):
    def in_sections(self):
        """Criterion items by category, then the reference section."""
        return self.order_by(*section_order())

    def with_sources(self):
        return self.select_related("category").prefetch_related(
            models.Prefetch(
                "sources",
                queryset=ItemSource.objects.select_related("edition__guideline"),
            )
        )

    def search(self, query: str):
        query = query.strip()
        if not query:
            return self
        return self.filter(
            models.Q(code__icontains=query)
            | models.Q(title_ja__icontains=query)
            | models.Q(title_en__icontains=query)
            | models.Q(requirement_ja__icontains=query)
            | models.Q(requirement_en__icontains=query)
            | models.Q(evidence_examples_ja__icontains=query)
        )

    def criteria(self):
        """届出基準（勧告事項）: unmet, they make a filing a change-order candidate."""
        return self.filter(is_criterion=True)

    def references(self):
        """参考（基準外）: outside the criterion document, never grounds for a change order."""
        return self.filter(is_criterion=False)

    def lower_coverage(self):
        """What the requirements imposed on lower-level aggregators must cover (catalogue data)."""
        return self.filter(lower_coverage_required=True)


_ItemManagerBase = models.Manager.from_queryset(ItemQuerySet)


class ItemManager(_ItemManagerBase):
    def get_by_natural_key(self, version, code):
        return self.get(catalogue__version=version, code=code)


class Item(FrozenWhenPublished):
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveIntegerField(_("order"), default=0)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    requirement_ja = models.TextField(_("requirement (Japanese)"))
    requirement_en = models.TextField(_("requirement (English)"), blank=True)
    evidence_examples_ja = models.TextField(
        _("evidence examples"), blank=True, help_text=_("One example per line.")
    )
    reviewer_note = models.TextField(_("note for reviewers"), blank=True)
    is_criterion = models.BooleanField(
        _("filing criterion (recommended item of the criterion document)"),
        default=False,
        help_text=_(
            "Unmet criterion items make a filing a change-order candidate. Items that are not "
            "criteria are reference items: never grounds for a change order."
        ),
    )
    allows_not_applicable = models.BooleanField(
        _("may be answered 'not applicable'"), default=False
    )
    lower_aggregator_requirement = models.BooleanField(
        _("requirement on lower-level aggregators"), default=False
    )
    lower_coverage_required = models.BooleanField(
        _("lower-level aggregators' requirements must cover it"),
        default=False,
        help_text=_(
            "The requirements a top-level aggregator imposes on lower-level aggregators must "
            "include an equivalent of this item."
        ),
    )
    lower_coverage_verification = models.CharField(
        _("verification of the coverage attribution"),
        max_length=20,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )

    objects = ItemManager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["catalogue", "category__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="item_code_unique"),
            # Reference items are never asked of lower-level aggregators, nor is SUP-1 itself.
            models.CheckConstraint(
                condition=models.Q(lower_coverage_required=False)
                | models.Q(is_criterion=True, lower_aggregator_requirement=False),
                name="item_lower_coverage_only_criteria",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_ja}"

    def natural_key(self):
        return (self.catalogue.version, self.code)

    # Django reads this function attribute; mypy cannot declare attributes on functions.
    natural_key.dependencies = ["checklists.catalogue", "checklists.category"]  # type: ignore[attr-defined]

    def owning_catalogue_id(self) -> int:
        return self.catalogue_id

    def clean(self) -> None:
        if (
            self.category_id
            and self.catalogue_id
            and self.category.catalogue_id != self.catalogue_id
        ):
            raise ValidationError({"category": _("The category belongs to another catalogue.")})

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def requirement(self) -> str:
        return localised(self, "requirement")

    @property
    def section(self) -> Category | ReferenceSection:
        """Where the item is listed: its category, or the reference section."""
        return self.category if self.is_criterion else REFERENCE_SECTION

    @property
    def evidence_examples(self) -> list[str]:
        return [line for line in self.evidence_examples_ja.splitlines() if line.strip()]

    @property
    def guideline_badges(self) -> list[str]:
        """電制 / ERAB badges from the (prefetched) sources, in a stable order."""
        badges = {source.edition.guideline.badge for source in self.sources.all()}
        return [badge for badge in ("電制", "ERAB") if badge in badges]

    @property
    def has_unverified_source(self) -> bool:
        return any(source.is_unverified for source in self.sources.all())

    @property
    def lower_coverage_unverified(self) -> bool:
        return self.lower_coverage_verification in UNVERIFIED


class ItemSourceManager(models.Manager["ItemSource"]):
    def get_by_natural_key(self, version, item_code, edition_code, clause):
        return self.get(
            item__catalogue__version=version,
            item__code=item_code,
            edition__code=edition_code,
            clause=clause,
        )


class ItemSource(FrozenWhenPublished):
    class Level(models.TextChoices):
        KANKOKU = "kankoku", _("Recommended (勧告)")
        SUISHO = "suisho", _("Advisory (推奨)")
        CRITERION = "criterion", _("Filing criterion")
        STATUTORY = "statutory", _("Statutory")
        UNKNOWN = "unknown", _("Level unknown")

    Verification = Verification

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="sources"
    )
    edition = models.ForeignKey(
        GuidelineEdition, verbose_name=_("guideline edition"), on_delete=models.PROTECT
    )
    clause = models.CharField(_("clause"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    verification = models.CharField(_("verification"), max_length=20, choices=Verification.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ItemSourceManager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "edition", "clause"], name="source_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    level__in=["kankoku", "suisho", "criterion", "statutory", "unknown"]
                ),
                name="source_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    verification__in=["verified", "secondary", "inferred", "unverified"]
                ),
                name="source_verification_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition.label} {self.clause}"

    def owning_catalogue_id(self) -> int | None:
        return Item.objects.filter(pk=self.item_id).values_list("catalogue_id", flat=True).first()

    def natural_key(self):
        return (self.item.catalogue.version, self.item.code, self.edition.code, self.clause)

    # Django reads this function attribute; mypy cannot declare attributes on functions.
    natural_key.dependencies = ["checklists.item", "checklists.guidelineedition"]  # type: ignore[attr-defined]

    @property
    def is_unverified(self) -> bool:
        """Inferred or unknown attributions are shown as 出典未確認, never asserted."""
        return self.verification in UNVERIFIED
