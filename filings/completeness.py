"""What a filing still lacks (blocks submission) and what it leaves unmet (allowed, but flagged)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from checklists.models import REFERENCE_SECTION, Category, section_order
from filings.models import Answer, Evidence, Filing, is_unmet, missing_fields


@dataclass
class Assessment:
    incomplete: list[str] = field(default_factory=list)  # human-readable, blocks submission
    unmet: list[Answer] = field(default_factory=list)  # criterion items: change-order candidates
    reference_unmet: list[Answer] = field(default_factory=list)  # reference items: no order
    late_fixes: list[Answer] = field(default_factory=list)  # fix due after the planned start
    uncovered: list = field(default_factory=list)  # items the lower-level requirements lack
    lower_issues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def can_submit(self) -> bool:
        return not self.incomplete


def assess(filing: Filing) -> Assessment:
    result = Assessment()
    for name in Filing.REQUIRED_HEADER_FIELDS:
        if getattr(filing, name) in (None, ""):
            header_field = Filing._meta.get_field(name)
            assert isinstance(header_field, models.Field)  # header facts are concrete fields
            label = header_field.verbose_name
            result.incomplete.append(_("Header: %(field)s is not filled in.") % {"field": label})
    if filing.uses_lower_aggregators is None:
        result.incomplete.append(_("State whether you use lower-level aggregators."))
    answers = filing.answers.select_related("item").order_by(*section_order("item__"))
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
        if answer.is_carried:
            result.incomplete.append(
                _(
                    "%(code)s %(title)s: the answer carried over from the previous version is "
                    "not confirmed."
                )
                % {"code": answer.item.code, "title": answer.item.title}
            )
        if answer.is_unmet:
            (result.unmet if answer.item.is_criterion else result.reference_unmet).append(answer)
        if answer.fix_due_after_start:
            result.late_fixes.append(answer)
    if filing.uses_lower_aggregators:
        _assess_lower(filing, result, answers)
    _warn(filing, result)
    return result


def _assess_lower(filing: Filing, result: Assessment, answers) -> None:
    if not filing.lower_aggregators.exists():
        result.incomplete.append(_("List the lower-level aggregators you use."))
    result.uncovered = list(filing.uncovered_items())
    if any(
        a.item.lower_aggregator_requirement and a.status == Answer.Status.NOT_APPLICABLE
        for a in answers
    ):
        result.lower_issues.append(
            _(
                "Lower-level aggregators are used, so the requirement item cannot be answered "
                "“not applicable”."
            )
        )
    kinds = set(filing.evidence_files.values_list("kind", flat=True))
    if Evidence.Kind.LOWER_REQUIREMENTS not in kinds:
        result.lower_issues.append(
            _("No requirement document for lower-level aggregators is attached.")
        )
    if Evidence.Kind.LOWER_CONTRACT not in kinds:
        result.lower_issues.append(
            _("No contract clause securing the requirements with lower-level aggregators.")
        )


def _warn(filing: Filing, result: Assessment) -> None:
    capacity = filing.expected_capacity_kw
    if capacity is not None and capacity <= settings.FILING_THRESHOLD_KW:
        result.warnings.append(
            _(
                "The expected supply capacity is %(kw)s kW. A notification is said to be required "
                "only above %(threshold)s kW (to be confirmed: this threshold is not in the "
                "criterion document)."
            )
            % {"kw": capacity, "threshold": settings.FILING_THRESHOLD_KW}
        )
    start = filing.planned_start_date
    earliest = earliest_start(timezone.localdate())
    if start is not None and start < earliest:
        result.warnings.append(
            _(
                "Business may start only after %(days)s days have passed from the acceptance date "
                "(the first day not counted): even if accepted today, the earliest start is "
                "%(earliest)s, after the planned start date %(start)s (to be confirmed: this "
                "period is not in the criterion document)."
            )
            % {
                "days": settings.FILING_START_NOTICE_DAYS,
                "start": date_format(start, "DATE_FORMAT"),
                "earliest": date_format(earliest, "DATE_FORMAT"),
            }
        )
    for answer in result.late_fixes:
        # fix_due_after_start holds only when both dates are set.
        assert answer.target_date is not None and start is not None
        result.warnings.append(
            _("%(code)s: the target date %(target)s is after the planned business start %(start)s.")
            % {
                "code": answer.item.code,
                "target": date_format(answer.target_date, "DATE_FORMAT"),
                "start": date_format(start, "DATE_FORMAT"),
            }
        )


def period_end(accepted_on: date) -> date:
    """初日不算入: the 30 days run from the day after acceptance; this is the 30th."""
    return accepted_on + timedelta(days=settings.FILING_START_NOTICE_DAYS)


def earliest_start(accepted_on: date) -> date:
    """Business may start once the 30 days have passed: the day after the period's last day."""
    return period_end(accepted_on) + timedelta(days=1)


@dataclass
class SectionProgress:
    """One section of the checklist (a criterion category, or the reference section)."""

    code: str
    name: str
    total: int = 0
    answered: int = 0
    incomplete: int = 0
    unmet: int = 0

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def unmet_percent(self) -> int:
        return round(100 * self.unmet / self.total) if self.total else 0


def progress_marks(
    status: str, *, implementation: str, justification: str, target_date, allows_not_applicable
) -> tuple[bool, bool, bool]:
    """What one answer counts for in its section's progress: answered, incomplete, unmet."""
    incomplete = bool(
        status
        and missing_fields(
            status,
            implementation=implementation,
            justification=justification,
            target_date=target_date,
        )
    )
    return bool(status), incomplete, is_unmet(status, allows_not_applicable=allows_not_applicable)


def answer_marks(answer: Answer) -> tuple[bool, bool, bool]:
    return progress_marks(
        answer.status,
        implementation=answer.implementation,
        justification=answer.justification,
        target_date=answer.target_date,
        allows_not_applicable=answer.item.allows_not_applicable,
    )


def section_progress(filing: Filing) -> list[SectionProgress]:
    """Progress per section, in checklist order, from one query over the filing's answers (rows,
    not model instances: at 500 items building instances cost more than the rest of the page;
    a plain fetch, not a server-side cursor, which costs PostgreSQL three round trips)."""
    sections: dict[str, SectionProgress] = {}
    rows = filing.answers.order_by(*section_order("item__")).values_list(
        *("status", "implementation", "justification", "target_date"),
        *("item__is_criterion", "item__allows_not_applicable", "item__category__code"),
        *("item__category__name_ja", "item__category__name_en"),
    )
    for status, implementation, justification, target, criterion, allows, *category in rows:
        code = category[0] if criterion else REFERENCE_SECTION.code
        if code not in sections:
            name = Category(code=code, name_ja=category[1], name_en=category[2]).name
            sections[code] = SectionProgress(
                code, str(name if criterion else REFERENCE_SECTION.name)
            )
        progress = sections[code]
        answered, incomplete, unmet = progress_marks(
            status,
            implementation=implementation,
            justification=justification,
            target_date=target,
            allows_not_applicable=allows,
        )
        progress.total += 1
        progress.answered += answered
        progress.incomplete += incomplete
        progress.unmet += unmet
    return list(sections.values())
