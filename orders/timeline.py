"""The steps of a case in order, each with its legal bases (by code), who takes it, its state
and its deadline: what the case page's timeline and the closing note's step table show."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from orders import bases
from orders.models import FollowUp, Notice, OrderCase

DONE, CURRENT, PENDING, SKIPPED = "done", "current", "pending", "skipped"


@dataclass
class Step:
    number: int
    name: str
    codes: tuple[str, ...]
    who: str
    state: str = PENDING
    due: date | None = None
    detail: str = ""
    cited: list = field(default_factory=list)


def _notice(case: OrderCase, kind: str) -> Notice | None:
    return next((n for n in case.notices.all() if n.kind == kind), None)


def _lapsed(notice: Notice | None) -> bool:
    """The deadline for the 弁明書 passed without one: the step is over all the same."""
    return notice is not None and notice.due_on is not None and notice.due_on < timezone.localdate()


def steps(case: OrderCase) -> list[Step]:
    procedure_notice = _notice(case, Notice.Kind.PROCEDURE_NOTICE)
    order = _notice(case, Notice.Kind.ORDER)
    closing = _notice(case, Notice.Kind.CLOSING_NOTICE)
    explanation = getattr(case, "explanation", None)
    opinion = getattr(case, "opinion", None)
    follow_ups = list(case.follow_ups.all())
    notice_issued = procedure_notice is not None and procedure_notice.is_issued
    order_issued = order is not None and order.is_issued
    regulator, lead, officer = _("Reviewer"), _("Review lead"), _("Aggregator officer")
    procedure_code, notice_code = bases.PROCEDURE_NOTICE[case.procedure or "bemmei"]
    rows = [
        Step(1, _("Disposition standards"), (bases.STANDARDS, bases.CRITERION[case.kind]),
             _("Portal"), DONE),
        Step(2, _("Choice of procedure"), (procedure_code,), regulator,
             DONE if case.procedure else CURRENT),
        Step(3, _("Notice to the filer"), (notice_code, bases.ELECTRONIC_NOTICE),
             _("Reviewer drafts, review lead issues"),
             DONE if notice_issued else PENDING),
        Step(4, _("Written explanation"), (bases.EXPLANATION,), officer,
             DONE if explanation or _lapsed(procedure_notice) else PENDING,
             due=procedure_notice.due_on if procedure_notice else None),
        Step(5, _("Commission opinion"), (bases.OPINION,), regulator,
             DONE if opinion and opinion.is_recorded else PENDING),
        Step(6, _("Decision"), bases.ORDER_PROVISIONS[case.kind] + (bases.REASONS,
             bases.SUIT_INSTRUCTION), lead, DONE if order_issued or (closing and closing.is_issued)
             else PENDING, due=case.order_window_end),
        Step(7, _("Delivery of the order"), (bases.ELECTRONIC_NOTICE,), regulator,
             DONE if order and order.is_delivered else PENDING),
        Step(8, _("Follow-up of the order"), bases.ORDER_PROVISIONS[case.kind], officer,
             DONE if follow_ups and all(f.status == FollowUp.Status.ACCEPTED for f in follow_ups)
             else PENDING, due=min((f.due_on for f in follow_ups if f.awaits_filer), default=None)),
        Step(9, _("Appeal record"), (bases.REQUEST_FOR_REVIEW_PERIOD, bases.SUIT_PERIOD),
             regulator, DONE if case.appeals.exists() else PENDING),
    ]  # fmt: skip
    if closing is not None and closing.is_issued:
        for step in rows[6:]:
            step.state = SKIPPED
    if not case.is_open:
        return rows
    for step in rows:  # the first step not done is the one to take now
        if step.state == PENDING and step.number < 9:
            step.state = CURRENT
            break
    return rows


def next_step(rows: list[Step]) -> Step | None:
    return next((step for step in rows if step.state == CURRENT), None)
