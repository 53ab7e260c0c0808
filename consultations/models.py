"""意見募集: a comment period on a draft catalogue version, the opinions (御意見) it receives and
the regulator's responses (考え方), tabled and approved by the lead."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from checklists.models import Catalogue, Item


class CommentPeriodQuerySet(models.QuerySet["CommentPeriod"]):
    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class CommentPeriod(models.Model):
    catalogue = models.OneToOneField(
        Catalogue,
        verbose_name=_("draft catalogue version"),
        on_delete=models.PROTECT,
        related_name="comment_period",
    )
    starts_on = models.DateField(_("comments from"))
    ends_on = models.DateField(_("comments until"))
    note = models.TextField(_("explanatory note"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("table approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("table approved at"), null=True, blank=True)
    table_pdf = models.FileField(upload_to="consultations/", max_length=200, blank=True)
    table_sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    objects = CommentPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment period")
        verbose_name_plural = _("comment periods")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="comment_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue.version} {self.starts_on}–{self.ends_on}"

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on and not self.is_approved

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Response(models.Model):
    """考え方: the regulator's response to one opinion or to a group of them."""

    period = models.ForeignKey(CommentPeriod, on_delete=models.CASCADE, related_name="responses")
    body = models.TextField(_("response (考え方)"))
    changes_draft = models.BooleanField(_("the draft was changed"), default=False)
    changed_items = models.ManyToManyField(
        Item, verbose_name=_("items changed"), blank=True, related_name="+"
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.body[:40]


class Opinion(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        PAPER = "paper", _("Paper")
        EMAIL = "email", _("E-mail")
        EGOV = "egov", _("e-Gov")

    period = models.ForeignKey(CommentPeriod, on_delete=models.CASCADE, related_name="opinions")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(pgettext_lazy("opinion", "received on"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitter_name = models.CharField(_("submitter"), max_length=200)
    consents_to_name = models.BooleanField(
        _("the submitter agrees to be named in the published table"), default=False
    )
    body = models.TextField(_("opinion"))
    items = models.ManyToManyField(
        Item, verbose_name=_("items it concerns (none: the whole draft)"), blank=True
    )
    response = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="opinions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["portal", "paper", "email", "egov"]),
                name="opinion_channel_valid",
            ),
            # An opinion through the portal names its company; others come from outside.
            models.CheckConstraint(
                condition=Q(channel="portal", organisation__isnull=False) | ~Q(channel="portal"),
                name="opinion_portal_has_company",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def public_submitter(self) -> str:
        """What the published table prints: the name only with consent."""
        return self.submitter_name if self.consents_to_name else str(_("Name withheld"))
