"""Legal bases as versioned data: a basis set is published once and never edited; a correction is a
new version. Flags point at the basis row they cited, so an old flag keeps its words.

Also the notified matters of 電気事業法第27条の30第1項 (一–六), which decide whether a change is
notified in advance (第7項, with the statute's clock) or after the fact (第9項, without).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class BasisSetQuerySet(models.QuerySet["BasisSet"]):
    def published(self):
        return self.filter(status=BasisSet.Status.PUBLISHED)

    def current(self) -> "BasisSet | None":
        """The newest published set, the one new flags cite."""
        return self.published().order_by("-published_at", "-id").first()


class BasisSetManager(models.Manager.from_queryset(BasisSetQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, version):
        return self.get(version=version)


class BasisSet(models.Model):
    """One version of the legal bases, like a catalogue version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.CharField(_("version"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
    )

    objects = BasisSetManager()

    class Meta:
        verbose_name = _("legal basis version")
        verbose_name_plural = _("legal basis versions")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="draft", published_at__isnull=True)
                    | models.Q(status="published", published_at__isnull=False)
                ),
                name="basis_set_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.version

    def natural_key(self):
        return (self.version,)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FrozenWhenPublished(models.Model):
    """Rows of a published basis set never change: flags and documents cite them."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self) -> None:
        set_id = self.basis_set_id  # type: ignore[attr-defined]
        if set_id and BasisSet.objects.filter(pk=set_id, status="published").exists():
            raise ValidationError(
                _("A published version of the legal bases cannot be changed. Make a new version.")
            )


class Verification(models.TextChoices):
    STATUTE = "statute", _("Verified against the statute text")
    CRITERION = "criterion", _("Criterion document")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("Source unverified")


class LegalBasisQuerySet(models.QuerySet["LegalBasis"]):
    def current(self):
        """The bases of the newest published set (empty when none is published)."""
        newest = BasisSet.objects.current()
        return self.filter(basis_set=newest) if newest else self.none()


class LegalBasisManager(models.Manager.from_queryset(LegalBasisQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, version, code):
        return self.get(basis_set__version=version, code=code)


class LegalBasis(FrozenWhenPublished):
    basis_set = models.ForeignKey(
        BasisSet, verbose_name=_("version"), on_delete=models.PROTECT, related_name="bases"
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text = models.TextField(_("text (Japanese, the record)"))
    text_en = models.TextField(_("English reading"), blank=True)
    law = models.CharField(_("law"), max_length=100, blank=True)
    article = models.CharField(_("article"), max_length=40, blank=True)
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    item = models.CharField(_("item"), max_length=20, blank=True)
    applied_provision = models.CharField(_("provision applied (準用)"), max_length=60, blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    verification = models.CharField(_("verification"), max_length=20, choices=Verification.choices)
    verified_against = models.CharField(_("verified against"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = LegalBasisManager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["basis_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["basis_set", "code"], name="legal_basis_code_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    verification__in=["statute", "criterion", "secondary", "unverified"]
                ),
                name="legal_basis_verification_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification="statute")
                | (~models.Q(law="") & ~models.Q(article="") & ~models.Q(verified_against="")),
                name="legal_basis_statute_names_its_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.basis_set.version})"

    def natural_key(self):
        return (self.basis_set.version, self.code)

    natural_key.dependencies = ["legal.basisset"]  # type: ignore[attr-defined]

    @property
    def citation(self) -> str:
        """「電気事業法第27条の30第5項」,
        「電気事業法第27条の32において準用する同法第2条の17第1項」, or the source document
        where the basis is not a statute."""
        if not self.law:
            return self.source_document
        cited = f"{self.law}{self.article}{self.paragraph}{self.item}"
        if self.applied_provision:
            return f"{cited}において準用する同法{self.applied_provision}"
        return cited

    @property
    def is_verified(self) -> bool:
        """Confirmed by a primary text: the statute, or the criterion document itself."""
        return self.verification in {Verification.STATUTE, Verification.CRITERION}

    @property
    def verification_label(self) -> str:
        if self.verification == Verification.STATUTE:
            return gettext("Verified against the statute text (%(against)s)") % {
                "against": self.verified_against
            }
        if self.verification == Verification.CRITERION:
            return gettext("Criterion document (%(against)s)") % {
                "against": self.verified_against or self.source_document
            }
        if self.verification == Verification.SECONDARY:
            return gettext("Secondary source; source unverified")
        return gettext("Source unverified")

    @property
    def text_in_language(self) -> str:
        """The text in the page's language; Japanese (the record) when there is no English."""
        english = (translation.get_language() or "ja").startswith("en")
        if english and self.text_en:
            marker = gettext("[Translation of the Japanese basis, which is the record]")
            return f"{marker} {self.text_en}"
        return self.text


def current_basis(code: str) -> LegalBasis:
    """The basis with this code in the newest published set (DoesNotExist if there is none)."""
    return LegalBasis.objects.current().select_related("basis_set").get(code=code)


class Regime(models.TextChoices):
    ADVANCE = (
        "advance",
        _("Notified in advance (Article 27-30(7)): waiting period and order window"),
    )
    AFTER_THE_FACT = (
        "after_the_fact",
        _("Notified after the fact (Article 27-30(9)): no waiting period, no order window"),
    )


class NotifiedMatterQuerySet(models.QuerySet["NotifiedMatter"]):
    def current(self):
        newest = BasisSet.objects.current()
        return self.filter(basis_set=newest) if newest else self.none()


def change_regime(matters) -> tuple[str, bool]:
    """The regime of a change notification from the matters it states, and whether that is
    settled. A change of 三 or 四 is notified in advance (第7項, with the clock); of the others
    only, after the fact (第9項). None stated, or the configured self-assessment matter among them
    (its mapping is not settled by the statute): advance, the safe side, marked 要確認."""
    matters = list(matters)
    if not matters:
        return Regime.ADVANCE, False
    if any(matter.regime == Regime.ADVANCE for matter in matters):
        settled = all(matter.mapping_verified for matter in matters if matter.holds_self_assessment)
        return Regime.ADVANCE, settled
    return Regime.AFTER_THE_FACT, True


class NotifiedMatterManager(models.Manager.from_queryset(NotifiedMatterQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, version, number):
        return self.get(basis_set__version=version, number=number)


class NotifiedMatter(FrozenWhenPublished):
    """A matter of 27条の30第1項 (一–六); a change to it is notified under ``regime``.

    ``holds_self_assessment`` is configuration: which matter the cybersecurity self-assessment
    belongs to, which the statute does not settle (``mapping_verified`` False shows 要確認)."""

    basis_set = models.ForeignKey(
        BasisSet, verbose_name=_("version"), on_delete=models.PROTECT, related_name="matters"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=10)  # 一 … 六
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    regime = models.CharField(_("regime of a change"), max_length=20, choices=Regime.choices)
    holds_self_assessment = models.BooleanField(
        _("the cybersecurity self-assessment belongs here"), default=False
    )
    mapping_verified = models.BooleanField(_("mapping verified"), default=False)

    objects = NotifiedMatterManager()

    class Meta:
        verbose_name = _("notified matter")
        verbose_name_plural = _("notified matters")
        ordering = ["basis_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["basis_set", "number"], name="notified_matter_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(regime__in=["advance", "after_the_fact"]),
                name="notified_matter_regime_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    def natural_key(self):
        return (self.basis_set.version, self.number)

    natural_key.dependencies = ["legal.basisset"]  # type: ignore[attr-defined]

    @property
    def title_in_language(self) -> str:
        english = (translation.get_language() or "ja").startswith("en")
        return self.title_en if english and self.title_en else self.title
