"""The daily reminders of an order procedure's deadlines (manage.py send_order_reminders)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction, AuditEvent, User
from orders import notifications
from orders.inbox import _explanations_due
from orders.models import CaseReminder, FollowUp, OrderCase

FILER_DAYS = 3  # the filer: a written explanation or a follow-up due within this many days
WINDOW_DAYS = 5  # the reviewers: an open change-order case whose window ends within these


def _once(case: OrderCase, kind: str, due: date) -> bool:
    _row, created = CaseReminder.objects.get_or_create(case=case, kind=kind, due_on=due)
    if created:
        AuditEvent.objects.record(
            actor=None, action=AuditAction.REMINDER_SEND, target=case, data={"kind": kind}
        )
    return created


@transaction.atomic
def send_order_reminders(*, today: date) -> dict[str, int]:
    """Each deadline is reminded once, however often this runs."""
    sent = dict.fromkeys(CaseReminder.Kind.values, 0)
    soon = (today, today + timedelta(days=FILER_DAYS))
    for notice in _explanations_due().filter(due_on__range=soon):
        if _once(notice.case, CaseReminder.Kind.EXPLANATION_DUE, notice.due_on):
            users = notifications.company_users(notice.case)
            notifications.deadline_near(notice.case, _("Written explanation"), notice.due_on, users)
            sent[CaseReminder.Kind.EXPLANATION_DUE] += 1
    waiting = FollowUp.objects.filter(status__in=["due", "returned"], case__status="open")
    for follow_up in waiting.filter(due_on__range=soon).select_related("case__organisation"):
        if _once(follow_up.case, CaseReminder.Kind.FOLLOW_UP_DUE, follow_up.due_on):
            users = notifications.company_users(follow_up.case)
            what = str(follow_up.get_kind_display())
            notifications.deadline_near(follow_up.case, what, follow_up.due_on, users)
            sent[CaseReminder.Kind.FOLLOW_UP_DUE] += 1
    cases = OrderCase.objects.open().filter(review__isnull=False).select_related("review")
    for case in cases.exclude(notices__kind="order", notices__status="issued"):
        end = case.order_window_end
        in_range = end is not None and today <= end <= today + timedelta(days=WINDOW_DAYS)
        if in_range and _once(case, CaseReminder.Kind.ORDER_WINDOW_ENDING, end):
            reviewers = list(User.objects.reviewers())
            notifications.deadline_near(case, _("Order window of the change order"), end, reviewers)
            sent[CaseReminder.Kind.ORDER_WINDOW_ENDING] += 1
    return sent
