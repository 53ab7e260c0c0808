"""Deadlines of order procedures for "my tasks" on the home page and for the reminders."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from orders.models import FollowUp, Notice, OrderCase

LIST_LIMIT = 10


@dataclass
class CaseTask:
    case: OrderCase
    what: str
    due: date | None


def _explanations_due(organisation_id=None):
    """Issued notices asking for a 弁明書 that has not come in."""
    notices = Notice.objects.filter(
        kind=Notice.Kind.PROCEDURE_NOTICE,
        status=Notice.Status.ISSUED,
        case__status=OrderCase.Status.OPEN,
        case__explanation__isnull=True,
    ).select_related("case__organisation")
    if organisation_id is not None:
        notices = notices.filter(case__organisation_id=organisation_id)
    return notices.order_by("due_on", "pk")


def _follow_ups(queryset):
    return queryset.filter(case__status=OrderCase.Status.OPEN).select_related("case__organisation")


def order_tasks_for(user) -> list[CaseTask]:
    tasks: list[CaseTask] = []
    if user.is_aggregator_user:
        for notice in _explanations_due(user.organisation_id)[:LIST_LIMIT]:
            tasks.append(CaseTask(notice.case, _("Written explanation"), notice.due_on))
        waiting = FollowUp.objects.filter(
            Q(status=FollowUp.Status.DUE) | Q(status=FollowUp.Status.RETURNED),
            case__organisation_id=user.organisation_id,
        )
        for follow_up in _follow_ups(waiting).order_by("due_on")[:LIST_LIMIT]:
            tasks.append(CaseTask(follow_up.case, follow_up.get_kind_display(), follow_up.due_on))
    elif user.is_regulator_user:
        drafts = Notice.objects.filter(status=Notice.Status.DRAFT, case__status="open")
        if user.is_review_lead:
            for notice in drafts.select_related("case__organisation")[:LIST_LIMIT]:
                tasks.append(CaseTask(notice.case, _("Approve and issue: %s") % notice.title, None))
        submitted = FollowUp.objects.filter(status=FollowUp.Status.SUBMITTED)
        for follow_up in _follow_ups(submitted).order_by("due_on")[:LIST_LIMIT]:
            what = _("Accept or return: %s") % follow_up.get_kind_display()
            tasks.append(CaseTask(follow_up.case, what, follow_up.due_on))
        for notice in _explanations_due()[:LIST_LIMIT]:
            tasks.append(CaseTask(notice.case, _("Written explanation due"), notice.due_on))
    return tasks
