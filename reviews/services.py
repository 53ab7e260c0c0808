"""State changes of reviews: open, accept, assign, decide, answer, determine; incidents."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import AuditAction, AuditEvent, Role, User
from filings.models import Filing, Submission
from filings.uploads import InspectedFile
from legal.models import LegalBasis
from reviews import notifications
from reviews.clock import extend_order_window, shorten_waiting_period
from reviews.models import (
    Flag,
    IncidentReport,
    Inquiry,
    Reminder,
    Review,
    order_window_end_expression,
)
from reviews.rules import FlagSpec, IncidentFacts, run_filing_rules, run_incident_rules
from reviews.signals import determination_recorded

__all__ = ["extend_order_window", "shorten_waiting_period"]  # the clock, in reviews/clock.py

FLAG_ACTIONS: dict[str, AuditAction] = {
    Flag.Decision.UPHOLD: AuditEvent.Action.FLAG_UPHOLD,
    Flag.Decision.WITHDRAW: AuditEvent.Action.FLAG_WITHDRAW,
    Flag.Decision.INQUIRE: AuditEvent.Action.FLAG_INQUIRE,
}


def _current_bases(codes: set[str]) -> dict[str, LegalBasis]:
    """The bases the rules cite, from the newest published version (one query)."""
    bases = {basis.code: basis for basis in LegalBasis.objects.current().filter(code__in=codes)}
    missing = sorted(codes - bases.keys())
    if missing:  # a set-up fault, not the filer's: the fixture was not loaded or lacks a code
        raise LookupError(f"No published legal basis for {', '.join(missing)}.")
    return bases


def _create_flags(specs: list[FlagSpec], english: list[FlagSpec], **owner) -> list[Flag]:
    """The flags as the rules raised them in Japanese (the record), with an English reading; each
    points at the basis version it cites."""
    bases = _current_bases({spec.basis_code for spec in specs})
    return Flag.objects.bulk_create(
        Flag(
            **owner,
            kind=spec.kind,
            rule=spec.rule,
            item_code=spec.item_code,
            item_title=spec.item_title,
            finding=spec.finding,
            finding_en=reading.finding,
            basis=bases[spec.basis_code],
        )
        for spec, reading in zip(specs, english, strict=True)
    )


def _refresh_counts(review: Review) -> None:
    review.open_candidates = review.flags.open_candidates().count()
    waiting = Inquiry.objects.unanswered().filter(flag__review=review).exists()
    if not review.is_decided:
        if waiting:
            review.status = Review.Status.INQUIRY
        elif review.status == Review.Status.INQUIRY or review.flags.exclude(decision="").exists():
            review.status = Review.Status.UNDER_REVIEW
    review.save(update_fields=["open_candidates", "status"])


@transaction.atomic
def open_review(*, submission: Submission) -> Review:
    """Run the flag rules on what was filed and open the review (called on submission)."""
    with translation.override("ja"):  # findings are part of the record: in Japanese
        specs = run_filing_rules(submission.snapshot)
    with translation.override("en"):  # and a reading for the English pages
        english = run_filing_rules(submission.snapshot)
    accepted_on = timezone.localdate(submission.submitted_at)  # until the regulator records it
    review = Review.objects.create(
        filing=submission.filing,
        received_at=submission.submitted_at,
        accepted_on=accepted_on,
        deadline=Review.deadline_for(accepted_on),
        # a change notified after the fact (第9項) has no waiting period and no order window
        has_order_window=submission.filing.has_order_window,
    )
    _create_flags(specs, english, review=review)
    _refresh_counts(review)
    AuditEvent.objects.record(
        actor=submission.submitted_by,
        action=AuditEvent.Action.REVIEW_OPEN,
        target=review,
        data={"flags": len(specs), "receipt_number": submission.receipt_number},
    )
    notifications.submission_received(review)
    return review


def _ensure_open(review: Review | None) -> None:
    if review is not None and review.is_decided:
        raise ValidationError(_("This review is decided; nothing can be changed."))


def _lock_open_review(review_id: int | None) -> None:
    """Serialise changes to one review (its counts and status are derived from its flags)."""
    if review_id is not None:
        _ensure_open(Review.objects.select_for_update().get(pk=review_id))


@transaction.atomic
def record_acceptance(
    *, review: Review, accepted_on: date, actor: User, ip_address: str | None = None
) -> Review:
    """The regulator records the statutory acceptance date (受理日); the 30-day period follows."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if review.shortened_to or review.window_extended_to:
        raise ValidationError(
            _(
                "The period has been shortened or extended and the filer notified; the "
                "acceptance date can no longer change."
            )
        )
    if accepted_on < timezone.localdate(review.received_at):
        raise ValidationError(_("The acceptance date cannot be before the date of receipt."))
    if accepted_on > timezone.localdate():
        raise ValidationError(_("The acceptance date cannot be in the future."))
    previous = review.accepted_on
    review.accepted_on, review.deadline = accepted_on, Review.deadline_for(accepted_on)
    review.save(update_fields=["accepted_on", "deadline"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_RECORD_ACCEPTANCE,
        target=review,
        ip_address=ip_address,
        data={"from": previous.isoformat(), "to": accepted_on.isoformat()},
    )
    return review


@transaction.atomic
def assign_review(
    *, review: Review, assignee: User | None, actor: User, ip_address: str | None = None
) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if assignee is not None and not assignee.is_reviewer:
        raise ValidationError(_("Only reviewers and review leads can be assigned."))
    review.assignee = assignee
    if review.status == Review.Status.RECEIVED:
        review.status = Review.Status.UNDER_REVIEW
    review.save(update_fields=["assignee", "status"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_ASSIGN,
        target=review,
        ip_address=ip_address,
        data={"assignee": assignee.email if assignee else None},
    )
    return review


@transaction.atomic
def decide_flag(
    *,
    flag: Flag,
    actor: User,
    decision: str,
    reason: str,
    question: str = "",
    due_date: date | None = None,
    ip_address: str | None = None,
) -> Flag:
    """Record a reasoned decision: uphold, withdraw (reason required) or inquire (question, due)."""
    if decision not in Flag.Decision.values:
        raise ValidationError(_("Choose uphold, withdraw or inquire."))
    _lock_open_review(flag.review_id)
    if flag.incident_id is not None:  # serialise with determine_incident
        IncidentReport.objects.select_for_update().filter(pk=flag.incident_id).exists()
    flag = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("review", "incident")
        .get(pk=flag.pk)
    )
    if flag.is_final:
        raise ValidationError(_("This flag has already been decided."))
    if flag.incident is not None and flag.incident.is_decided:
        raise ValidationError(_("This security incident report has been determined already."))
    if flag.decision == Flag.Decision.INQUIRE and flag.inquiries.unanswered().exists():
        raise ValidationError(_("The inquiry on this flag is still waiting for the filer."))
    if decision == Flag.Decision.WITHDRAW and not reason.strip():
        raise ValidationError(_("Give a reason for withdrawing the flag."))
    if decision == Flag.Decision.INQUIRE and (not question.strip() or due_date is None):
        raise ValidationError(_("An inquiry needs a question and a due date."))
    flag.decision, flag.decision_reason = decision, reason.strip()
    flag.decided_by, flag.decided_at = actor, timezone.now()
    flag.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if decision == Flag.Decision.INQUIRE:
        assert due_date is not None  # refused above without one
        inquiry = Inquiry.objects.create(
            flag=flag, question=question.strip(), due_date=due_date, sent_by=actor
        )
        notifications.inquiry_sent(inquiry, _organisation_id(flag))
    if flag.review is not None:
        _refresh_counts(flag.review)
    AuditEvent.objects.record(
        actor=actor,
        action=FLAG_ACTIONS[decision],
        target=flag,
        ip_address=ip_address,
        data={"reason": reason.strip()[:200], "rule": flag.rule, "item": flag.item_code},
    )
    return flag


@transaction.atomic
def decide_flags(
    *,
    flags: list[Flag],
    actor: User,
    decision: str,
    reason: str,
    ip_address: str | None = None,
) -> list[Flag]:
    """One decision with one reason for several flags (uphold or withdraw; an inquiry asks its
    own question): all are recorded, or none is when one of them cannot be."""
    if decision not in (Flag.Decision.UPHOLD, Flag.Decision.WITHDRAW):
        raise ValidationError(_("Several flags at once can be upheld or withdrawn only."))
    return [
        decide_flag(flag=flag, actor=actor, decision=decision, reason=reason, ip_address=ip_address)
        for flag in sorted(flags, key=lambda flag: flag.pk)
    ]


def _organisation_id(flag: Flag) -> int:
    if flag.review is not None:
        return flag.review.filing.organisation_id
    assert flag.incident is not None  # a flag belongs to a review or to an incident
    return flag.incident.organisation_id


@transaction.atomic
def answer_inquiry(
    *,
    inquiry: Inquiry,
    actor: User,
    answer: str,
    upload=None,
    inspected: InspectedFile | None = None,
    ip_address: str | None = None,
) -> Inquiry:
    """The filer answers in the portal. After the due date the answer is accepted, marked late."""
    _lock_open_review(inquiry.flag.review_id)
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("flag__review")
        .get(pk=inquiry.pk)
    )
    flag = inquiry.flag
    if actor.organisation_id != _organisation_id(flag):
        raise PermissionDenied
    if inquiry.answered_at is not None:
        raise ValidationError(_("This inquiry has already been answered."))
    inquiry.answer, inquiry.answered_by, inquiry.answered_at = answer.strip(), actor, timezone.now()
    if upload is not None and inspected is not None:
        inquiry.attachment.save("upload", upload, save=False)
        inquiry.attachment_name = inspected.name
        inquiry.attachment_sha256, inquiry.attachment_size = inspected.sha256, inspected.size
    inquiry.save()
    if flag.review is not None:
        _refresh_counts(flag.review)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.INQUIRY_ANSWER,
        target=inquiry,
        ip_address=ip_address,
        data={"late": inquiry.is_late},
    )
    notifications.inquiry_answered(inquiry, flag.review.assignee if flag.review else None)
    return inquiry


def check_determination(
    flags, *, no_order: bool, reason: str, no_order_reasons: dict[int, str]
) -> list[Flag]:
    """Every flag decided; reasons given; "no order" despite an upheld candidate only with a
    reason against each such candidate. Returns the upheld candidates."""
    if flags.awaiting_decision().exists():
        raise ValidationError(_("Decide every flag (uphold or withdraw) before the determination."))
    if not reason.strip():
        raise ValidationError(_("Give the reasons for the determination."))
    upheld = list(flags.upheld_candidates())
    if not no_order and not upheld:
        raise ValidationError(
            _("No order candidate is upheld: there is no ground for the order procedure.")
        )
    if no_order:
        missing = [
            f.item_code or f.get_kind_display()
            for f in upheld
            if not no_order_reasons.get(f.pk, "").strip()
        ]
        if missing:
            raise ValidationError(
                _(
                    "Upheld candidates remain (%(flags)s). To record that no order is needed, give "
                    "a reason against each of them."
                )
                % {"flags": "、".join(missing)}
            )
    return upheld


def check_order_window(review: Review) -> None:
    """電気事業法第27条の30第5項: a change or suspension order only within 30 days of 受理 (or
    the extended period); a change notified after the fact (第9項) has no such order."""
    if not review.is_order_window_open:  # False too where no window applies
        raise ValidationError(order_window_refusal(review))


def order_window_refusal(review: Review) -> str:
    """Why the order procedure is not open; shown on the page before the lead tries."""
    if not review.has_order_window:
        return _(
            "This change was notified after the fact (Article 27-30(9)): the statute gives no "
            "order window, so the change-order procedure cannot be started."
        )
    return _(
        "The order window ended on %(end)s. Article 27-30(5) allows a change or suspension "
        "order only within 30 days of acceptance (or the extended period), so the order "
        "procedure can no longer be started."
    ) % {"end": date_format(review.order_window_end, "DATE_FORMAT")}


def _record_no_order_reasons(upheld: list[Flag], no_order: bool, reasons: dict[int, str]) -> None:
    for flag in upheld:
        flag.no_order_reason = reasons.get(flag.pk, "").strip() if no_order else ""
    Flag.objects.bulk_update(upheld, ["no_order_reason"])


@transaction.atomic
def determine_review(
    *,
    review: Review,
    actor: User,
    determination: str,
    reason: str,
    no_order_reasons: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> Review:
    """The review lead's determination, once every flag has a final decision."""
    if actor.role != Role.REVIEW_LEAD:
        raise PermissionDenied(_("Only a review lead records the determination."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    _ensure_open(review)
    if determination == Review.Determination.ORDER_PROCEDURE:
        check_order_window(review)
    no_order = determination == Review.Determination.NO_ORDER
    reasons = no_order_reasons or {}
    upheld = check_determination(
        review.flags.all(), no_order=no_order, reason=reason, no_order_reasons=reasons
    )
    _record_no_order_reasons(upheld, no_order, reasons)
    review.determination, review.determination_reason = determination, reason.strip()
    review.determined_by, review.determined_at = actor, timezone.now()
    review.status = Review.Status.DECIDED
    review.save()
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.REVIEW_DETERMINE,
        target=review,
        ip_address=ip_address,
        data={"determination": determination, "upheld_candidates": len(upheld)},
    )
    determination_recorded.send(sender=Review, target=review, actor=actor)
    notifications.determination_recorded(review)
    return review


@transaction.atomic
def file_incident_report(
    *, actor: User, fields: dict, related_items: list, ip_address: str | None = None
) -> IncidentReport:
    if not actor.is_aggregator_user:
        raise PermissionDenied
    # User.clean() ties every aggregator user to an aggregator.
    assert actor.organisation is not None
    incident = IncidentReport.objects.create(
        organisation=actor.organisation, reported_by=actor, **fields
    )
    incident.related_items.set(related_items)
    latest = (
        Submission.objects.filter(
            filing__organisation=actor.organisation, filing__status=Filing.Status.SUBMITTED
        )
        .order_by("-submitted_at")
        .first()
    )
    facts = IncidentFacts(
        supply_impact=incident.supply_impact,
        location=incident.location,
        lower_aggregator_name=incident.lower_aggregator_name,
        related=[{"code": item.code, "title_ja": item.title_ja} for item in related_items],
    )
    snapshot = latest.snapshot if latest else None
    with translation.override("ja"):
        specs = run_incident_rules(facts, snapshot)
    with translation.override("en"):
        english = run_incident_rules(facts, snapshot)
    _create_flags(specs, english, incident=incident)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.INCIDENT_FILE,
        target=incident,
        ip_address=ip_address,
        data={"flags": len(specs), "supply_impact": incident.supply_impact},
    )
    return incident


@transaction.atomic
def determine_incident(
    *,
    incident: IncidentReport,
    actor: User,
    determination: str,
    reason: str,
    no_order_reasons: dict[int, str] | None = None,
    ip_address: str | None = None,
) -> IncidentReport:
    """The review lead's determination on a security incident report, after its flags."""
    if actor.role != Role.REVIEW_LEAD:
        raise PermissionDenied(_("Only a review lead records the determination."))
    incident = IncidentReport.objects.select_for_update().get(pk=incident.pk)
    if incident.is_decided:
        raise ValidationError(_("This security incident report has been determined already."))
    no_order = determination == IncidentReport.Determination.NO_ORDER
    reasons = no_order_reasons or {}
    upheld = check_determination(
        incident.flags.all(), no_order=no_order, reason=reason, no_order_reasons=reasons
    )
    _record_no_order_reasons(upheld, no_order, reasons)
    incident.determination, incident.determination_reason = determination, reason.strip()
    incident.determined_by, incident.determined_at = actor, timezone.now()
    incident.save()
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.INCIDENT_DETERMINE,
        target=incident,
        ip_address=ip_address,
        data={"determination": determination, "upheld_candidates": len(upheld)},
    )
    determination_recorded.send(sender=IncidentReport, target=incident, actor=actor)
    return incident


INQUIRY_REMINDER_DAYS = 3  # filers: an unanswered inquiry due within this many days
# reviewers and leads: an open review whose order window (27条の30第5項) ends within these days
WINDOW_REMINDER_DAYS = (10, 5, 2)


@transaction.atomic
def send_due_reminders(*, today: date) -> dict[str, int]:
    """The daily reminders (manage.py send_reminders): each inquiry is reminded once, each
    review's order window once per threshold (10, 5 and 2 days left; a day missed sends the
    nearest threshold only), however often this runs. Returns how many went out of each kind."""
    sent: dict[str, int] = {Reminder.Kind.INQUIRY_DUE: 0, Reminder.Kind.ORDER_WINDOW_ENDING: 0}
    inquiries = Inquiry.objects.unanswered().filter(
        due_date__range=(today, today + timedelta(days=INQUIRY_REMINDER_DAYS))
    )
    for inquiry in inquiries.select_related("flag__review__filing", "flag__incident"):
        if _remind(Reminder.Kind.INQUIRY_DUE, INQUIRY_REMINDER_DAYS, inquiry=inquiry):
            notifications.inquiry_due_soon(inquiry, _organisation_id(inquiry.flag))
            sent[Reminder.Kind.INQUIRY_DUE] += 1
    closing = Review.objects.open().filter(has_order_window=True)
    closing = closing.alias(window_end=order_window_end_expression()).filter(
        window_end__range=(today, today + timedelta(days=max(WINDOW_REMINDER_DAYS)))
    )
    for review in closing.select_related("filing__organisation", "assignee"):
        days_left = (review.order_window_end - today).days
        threshold = min(days for days in WINDOW_REMINDER_DAYS if days_left <= days)
        if _remind(Reminder.Kind.ORDER_WINDOW_ENDING, threshold, review=review):
            notifications.order_window_ending(review, days_left)
            sent[Reminder.Kind.ORDER_WINDOW_ENDING] += 1
    return sent


def _remind(kind: str, days: int, **target) -> bool:
    """Note the reminder; False when it went out before (the unique constraint decides)."""
    _reminder, created = Reminder.objects.get_or_create(kind=kind, days_before=days, **target)
    if created:
        (item,) = target.values()
        AuditEvent.objects.record(
            actor=None, action=AuditAction.REMINDER_SEND, target=item, data={"kind": kind}
        )
    return created
