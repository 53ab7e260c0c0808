"""What a filing still lacks (blocks submission) and what it leaves unmet (allowed, but flagged)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Answer, Evidence, Filing

REQUIRED_HEADER = (
    "chain_role",
    "importance_class",
    "expected_capacity_kw",
    "planned_start_date",
    "contact_name",
    "contact_email",
)


@dataclass
class Assessment:
    incomplete: list[str] = field(default_factory=list)  # human-readable, blocks submission
    unmet: list[Answer] = field(default_factory=list)  # required items not (fully) implemented
    advisory_unmet: list[Answer] = field(default_factory=list)
    uncovered: list = field(default_factory=list)  # ERAB 勧告 items not required of lower tiers
    lower_issues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def can_submit(self) -> bool:
        return not self.incomplete


def assess(filing: Filing) -> Assessment:
    result = Assessment()
    for name in REQUIRED_HEADER:
        if getattr(filing, name) in (None, ""):
            label = Filing._meta.get_field(name).verbose_name
            result.incomplete.append(_("Header: %(field)s is not filled in.") % {"field": label})
    if filing.uses_lower_aggregators is None:
        result.incomplete.append(_("State whether you use lower-level aggregators."))
    answers = filing.answers.select_related("item").order_by("item__category__order", "item__order")
    for answer in answers:
        missing = answer.missing_fields()
        if missing:
            result.incomplete.append(
                _("%(code)s %(title)s: %(missing)s missing.")
                % {
                    "code": answer.item.code,
                    "title": answer.item.title,
                    "missing": "、".join(missing),
                }
            )
        if answer.is_unmet or (
            answer.status == Answer.Status.NOT_APPLICABLE and not answer.item.allows_not_applicable
        ):
            (result.unmet if answer.item.required else result.advisory_unmet).append(answer)
    if filing.uses_lower_aggregators:
        _assess_lower(filing, result)
    _warn(filing, result)
    return result


def _assess_lower(filing: Filing, result: Assessment) -> None:
    if not filing.lower_aggregators.exists():
        result.incomplete.append(_("List the lower-level aggregators you use."))
    result.uncovered = [
        row.item for row in filing.coverage.select_related("item") if not row.covered
    ]
    kinds = set(filing.evidence_files.values_list("kind", flat=True))
    if Evidence.Kind.LOWER_REQUIREMENTS not in kinds:
        result.lower_issues.append(
            _("No requirement document for lower-level aggregators is attached.")
        )
    if Evidence.Kind.LOWER_CONTRACT not in kinds:
        result.lower_issues.append(
            _("No contract clause with lower-level aggregators is attached.")
        )


def _warn(filing: Filing, result: Assessment) -> None:
    capacity = filing.expected_capacity_kw
    if capacity is not None and capacity <= settings.FILING_THRESHOLD_KW:
        result.warnings.append(
            _(
                "The expected capacity is %(kw)s kW: a notification is required only above "
                "%(threshold)s kW."
            )
            % {"kw": capacity, "threshold": settings.FILING_THRESHOLD_KW}
        )
    start = filing.planned_start_date
    earliest = timezone.localdate() + timedelta(days=settings.FILING_START_NOTICE_DAYS)
    if start is not None and start < earliest:
        result.warnings.append(
            _(
                "Business may start only %(days)s days after the filing is accepted: the planned "
                "start date %(start)s is earlier than %(earliest)s."
            )
            % {"days": settings.FILING_START_NOTICE_DAYS, "start": start, "earliest": earliest}
        )
