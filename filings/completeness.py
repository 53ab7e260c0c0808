"""What a filing still lacks (blocks submission) and what it leaves unmet (allowed, but flagged)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from checklists.models import REFERENCE_SECTION, Category, section_order
from filings.models import Answer, Evidence, Filing, is_unmet, missing_fields
from filings.signals import draft_checked
from filings.snapshots import build_draft_snapshot

CHECKLIST_PAGE_SIZE = 20  # as filings.checklist_views.PAGE_SIZE: the page an item is listed on


class Gap(str):
    """One thing that blocks submission, in words, with the page (and anchor) that fills it in."""

    url: str

    def __new__(cls, text: str, url: str) -> "Gap":
        gap = super().__new__(cls, text)
        gap.url = url
        return gap


def item_url(filing: Filing, section_code: str, index: int, item_code: str) -> str:
    """The checklist page listing an item (``index``: its place in its section), at its card."""
    url = reverse("filings:filing_checklist_section", args=[filing.pk, section_code])
    page = index // CHECKLIST_PAGE_SIZE + 1
    return f"{url}{f'?page={page}' if page > 1 else ''}#item-{item_code}"


@dataclass
class Assessment:
    incomplete: list[Gap] = field(default_factory=list)  # blocks submission
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
            result.incomplete.append(
                Gap(
                    _("Header: %(field)s is not filled in.") % {"field": label},
                    reverse("filings:filing_header", args=[filing.pk]) + f"#id_{name}",
                )
            )
    lower_url = reverse("filings:filing_lower", args=[filing.pk])
    if filing.uses_lower_aggregators is None:
        result.incomplete.append(
            Gap(_("State whether you use lower-level aggregators."), lower_url)
        )
    answers = filing.answers.select_related("item__category").order_by(*section_order("item__"))
    places: dict[str, int] = {}  # items seen so far per section
    for answer in answers:
        section = answer.item.section.code
        index = places[section] = places.get(section, -1) + 1
        missing = answer.missing_fields()
        if missing:
            text = _("%(code)s %(title)s: %(missing)s missing.") % {
                "code": answer.item.code,
                "title": answer.item.title,
                "missing": "、".join(missing),
            }
            result.incomplete.append(Gap(text, item_url(filing, section, index, answer.item.code)))
        if answer.is_carried:
            text = _(
                "%(code)s %(title)s: the answer carried over from the previous version is "
                "not confirmed."
            ) % {"code": answer.item.code, "title": answer.item.title}
            carried_url = reverse("filings:filing_carried", args=[filing.pk])
            result.incomplete.append(Gap(text, carried_url))
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
        result.incomplete.append(
            Gap(
                _("List the lower-level aggregators you use."),
                reverse("filings:filing_lower", args=[filing.pk]),
            )
        )
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
    def incomplete_percent(self) -> int:
        return round(100 * self.incomplete / self.total) if self.total else 0

    @property
    def unmet_percent(self) -> int:
        return round(100 * self.unmet / self.total) if self.total else 0


def progress_marks(
    status: str, *, implementation: str, justification: str, target_date, allows_not_applicable
) -> tuple[bool, bool, bool]:
    """What one answer counts for in its section's progress: answered (記入済: only when its
    status's required fields are there), incomplete (未完了), unmet."""
    missing = missing_fields(
        status, implementation=implementation, justification=justification, target_date=target_date
    )
    answered = bool(status) and not missing
    incomplete = bool(status) and bool(missing)
    return answered, incomplete, is_unmet(status, allows_not_applicable=allows_not_applicable)


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


@dataclass
class DraftOutcome:
    """What the rules will make of a draft if it is filed as it stands: the flags by item code
    (``""`` for the whole filing), and the counts by kind."""

    flags: dict[str, list] = field(default_factory=dict)
    links: list[tuple] = field(default_factory=list)  # (spec, the item's checklist url or "")

    def count(self, kind: str) -> int:
        return sum(spec.kind == kind for specs in self.flags.values() for spec in specs)

    @property
    def change_orders(self) -> int:
        return self.count("change_order")

    @property
    def inquiries(self) -> int:
        return self.count("inquiry_candidate")

    @property
    def references(self) -> int:
        return self.count("reference")


def draft_outcome(filing: Filing, *, user, items=None) -> DraftOutcome:
    """The filing rules, run on the draft as it stands (``items``: only those items)."""
    snapshot = build_draft_snapshot(filing=filing, user=user, items=items)
    outcome = DraftOutcome()
    responses: list[tuple[Any, Any]] = draft_checked.send(sender=Filing, snapshot=snapshot)
    for _receiver, specs in responses:
        for spec in specs:
            outcome.flags.setdefault(spec.item_code or "", []).append(spec)
    if items is None:
        urls = item_urls(filing)
        outcome.links = [
            (spec, urls.get(spec.item_code, ""))
            for specs in outcome.flags.values()
            for spec in specs
        ]
    return outcome


def item_urls(filing: Filing) -> dict[str, str]:
    """Each item's place on the checklist, by item code, from one query."""
    rows = filing.answers.order_by(*section_order("item__")).values_list(
        "item__code", "item__is_criterion", "item__category__code"
    )
    places: dict[str, int] = {}
    urls = {}
    for code, criterion, category in rows:
        section = category if criterion else REFERENCE_SECTION.code
        index = places[section] = places.get(section, -1) + 1
        urls[code] = item_url(filing, section, index, code)
    return urls
