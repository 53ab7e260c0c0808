"""Who issues formal notices, how they are numbered, and which companies accept them online."""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from orders.wareki import era_year

DEFAULT_NUMBER_FORMAT = "{YYYYMMDD}資第{n}号"
PLACEHOLDERS = {"YYYY", "YYYYMMDD", "MM", "DD", "ERA_YEAR", "n"}


def validate_number_format(value: str) -> None:
    names = set(re.findall(r"{(\w+)}", value))
    if "n" not in names:
        raise ValidationError(_("The number format must contain {n}, the sequence number."))
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )


def format_document_number(template: str, *, day: date, number: int) -> str:
    _name, year = era_year(day)
    values = {
        "YYYY": f"{day:%Y}",
        "YYYYMMDD": f"{day:%Y%m%d}",
        "MM": f"{day:%m}",
        "DD": f"{day:%d}",
        "ERA_YEAR": str(year),
        "n": str(number),
    }
    return re.sub(r"{(\w+)}", lambda match: values[match.group(1)], template)


class IssuingAuthority(models.Model):
    """処分庁: the name that signs the notices, and its document-number format (admins)."""

    name = models.CharField(_("issuing authority"), max_length=100, unique=True)
    signatory = models.CharField(
        _("signatory"), max_length=100, help_text=_("As printed above the seal, e.g. 経済産業大臣")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    number_format = models.CharField(
        _("document number format"),
        max_length=60,
        default=DEFAULT_NUMBER_FORMAT,
        validators=[validate_number_format],
        help_text=_(
            "Placeholders: {YYYYMMDD}, {YYYY}, {MM}, {DD}, {ERA_YEAR} and {n} (sequence per year)."
        ),
    )
    appeal_authority = models.CharField(
        _("authority that hears a request for review"), max_length=100
    )
    explanation_address = models.CharField(
        _("where written explanations are sent"), max_length=300, blank=True
    )
    is_default = models.BooleanField(_("used for new notices"), default=False)

    class Meta:
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_authority"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DocumentSequence(models.Model):
    """The last number issued per authority and year; only ever counts up (never reused)."""

    authority = models.ForeignKey(IssuingAuthority, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.year}: {self.last_number}"


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class ElectronicNoticeConsent(models.Model):
    """The company's declaration that it accepts notices in the portal and by e-mail
    (デジタル手続法7条): who declared it and when, and its withdrawal."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notice_consents"
    )
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consented_at = models.DateTimeField(_("consented at"))
    email = models.EmailField(_("e-mail address for notices"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to electronic notices")
        verbose_name_plural = _("consents to electronic notices")
        ordering = ["-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.consented_at:%Y-%m-%d}"
