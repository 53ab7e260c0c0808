"""Guidelines and their editions: facts shared by every catalogue version."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localised(obj, field: str) -> str:
    """The English text when the page is in English and one exists; Japanese otherwise."""
    if (get_language() or "ja").startswith("en"):
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_ja")
    return getattr(obj, f"{field}_ja")


class Verification(models.TextChoices):
    VERIFIED = "verified", _("Verified (primary source)")
    SECONDARY = "secondary", _("Secondary source")
    INFERRED = "inferred", _("Inferred, unverified")
    UNVERIFIED = "unverified", _("Unverified")


UNVERIFIED = {Verification.INFERRED, Verification.UNVERIFIED}  # shown as 出典未確認


class GuidelineManager(models.Manager["Guideline"]):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Guideline(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    objects = GuidelineManager()

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_ja

    def natural_key(self):
        return (self.code,)

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def badge(self) -> str:
        """Short label users know the guideline by (電制 / ERAB)."""
        return {"JESC-Z0004": "電制", "ERAB-CSGL": "ERAB"}.get(self.code, "")


class GuidelineEditionManager(models.Manager["GuidelineEdition"]):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class GuidelineEdition(models.Model):
    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.PROTECT, related_name="editions"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    objects = GuidelineEditionManager()

    class Meta:
        verbose_name = _("guideline edition")
        verbose_name_plural = _("guideline editions")
        ordering = ["guideline__code", "code"]

    def __str__(self) -> str:
        return f"{self.guideline.title_ja} {self.label}"

    def natural_key(self):
        return (self.code,)

    # Django reads this function attribute; mypy cannot declare attributes on functions.
    natural_key.dependencies = ["checklists.guideline"]  # type: ignore[attr-defined]
