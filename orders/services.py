"""State changes of an order procedure: one function per step, each the only writer of its state.

Each is keyword-only, authorises, locks the case, checks, writes and records the audit event in
one transaction; e-mail goes out after commit (``orders.notifications``)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditAction, AuditEvent, Role, User
from filings.models import Filing
from filings.uploads import InspectedFile
from legal.models import BasisSet
from orders import bases, notices, notifications
from orders.bases import cite
from orders.models import (
    Appeal,
    CommissionOpinion,
    DocumentSequence,
    ElectronicNoticeConsent,
    Explanation,
    ExplanationFile,
    FollowUp,
    IssuingAuthority,
    Notice,
    OrderCase,
    format_document_number,
)
from orders.wareki import wareki
from reviews.models import IncidentReport, Review

PROGRESS_REPORT_AFTER_DAYS = 90  # the progress report falls due this long after the plan
WINDOW_MARGIN_DAYS = 7  # warn when the explanation deadline leaves less than this for the rest


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _regulator(actor: User) -> None:
    _require(actor.role in {Role.REVIEWER, Role.REVIEW_LEAD}, _("Only the regulator does this."))


def _lead(actor: User) -> None:
    _require(actor.role == Role.REVIEW_LEAD, _("Only a review lead approves and issues this."))


def _lock(case: OrderCase) -> OrderCase:
    case = OrderCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("This order procedure is closed; nothing can be changed."))
    return case


def _audit(actor, action: AuditAction, target, ip_address=None, **data) -> None:
    AuditEvent.objects.record(
        actor=actor, action=action, target=target, ip_address=ip_address, data=data
    )


# --- 1. opening ------------------------------------------------------------------------------
def open_case_on_determination(sender, *, target, actor: User, **kwargs) -> None:
    """Receiver of reviews' ``determination_recorded``: 手続へ移行 opens the case."""
    if target.determination == "order_procedure":
        open_case(source=target, actor=actor)


@transaction.atomic
def open_case(*, source: Review | IncidentReport, actor: User) -> OrderCase:
    if isinstance(source, Review):
        fields = {
            "review": source,
            "organisation": source.filing.organisation,
            "kind": OrderCase.Kind.CHANGE_ORDER,
            "catalogue_version": source.filing.catalogue.version,
        }
    else:
        latest = source.organisation  # the catalogue of the company's latest filing, if any
        filing = Filing.objects.filter(organisation=latest, status="submitted").last()
        fields = {
            "incident": source,
            "organisation": source.organisation,
            "kind": OrderCase.Kind.IMPROVEMENT_ORDER,
            "catalogue_version": filing.catalogue.version if filing else "",
        }
    current = BasisSet.objects.current()
    fields["basis_version"] = current.version if current else ""
    case = OrderCase.objects.create(opened_by=actor, **fields)
    _audit(actor, AuditAction.ORDER_CASE_OPEN, case, kind=case.kind)
    return case


# --- 2. procedure ----------------------------------------------------------------------------
@transaction.atomic
def choose_procedure(
    *,
    case: OrderCase,
    actor: User,
    procedure: str,
    reason: str,
    kind: str,
    representative: str,
    internal_notes: str = "",
    ip_address: str | None = None,
) -> OrderCase:
    """弁明の機会の付与 or 聴聞 (行政手続法13条), with a reason; before the notice is issued."""
    _regulator(actor)
    case = _lock(case)
    if case.notices.filter(kind=Notice.Kind.PROCEDURE_NOTICE, status="issued").exists():
        raise ValidationError(_("The notice has been issued; the procedure can no longer change."))
    if procedure not in OrderCase.Procedure.values or not reason.strip():
        raise ValidationError(_("Choose the procedure and give the reason for it."))
    allowed = (
        {OrderCase.Kind.CHANGE_ORDER, OrderCase.Kind.SUSPENSION_ORDER}
        if case.review_id
        else {OrderCase.Kind.IMPROVEMENT_ORDER}
    )
    if kind not in allowed:
        raise ValidationError(_("This order cannot follow from what the case was opened on."))
    case.procedure, case.procedure_reason = procedure, reason.strip()
    case.kind, case.representative = kind, representative.strip()
    case.internal_notes = internal_notes.strip()
    case.save(
        update_fields=["procedure", "procedure_reason", "kind", "representative", "internal_notes"]
    )
    _audit(actor, AuditAction.ORDER_CASE_PROCEDURE, case, ip_address, procedure=procedure)
    return case


# --- 3 and 6. notices: drafted by a reviewer, issued by a lead --------------------------------
@transaction.atomic
def draft_notice(
    *, case: OrderCase, actor: User, kind: str, fields: dict, ip_address: str | None = None
) -> Notice:
    """Write or rewrite the draft of a notice (never one that has been issued)."""
    _regulator(actor)
    case = _lock(case)
    if kind == Notice.Kind.PROCEDURE_NOTICE and not case.procedure:
        raise ValidationError(_("Choose the procedure before drafting its notice."))
    if kind != Notice.Kind.PROCEDURE_NOTICE and not _issued(case, Notice.Kind.PROCEDURE_NOTICE):
        raise ValidationError(_("Issue the notice of the opportunity to explain first."))
    notice = case.notices.filter(kind=kind).first()
    if notice is not None and notice.is_issued:
        raise ValidationError(_("This notice has been issued; it can no longer be changed."))
    notice = notice or Notice(case=case, kind=kind)
    for name, value in fields.items():
        setattr(notice, name, value.strip() if isinstance(value, str) else value)
    notice.drafted_by, notice.drafted_at = actor, timezone.now()
    notice.save()
    _audit(actor, AuditAction.ORDER_NOTICE_DRAFT, notice, ip_address, kind=kind)
    return notice


def _issued(case: OrderCase, kind: str) -> Notice | None:
    return case.notices.filter(kind=kind, status=Notice.Status.ISSUED).first()


def window_warnings(notice: Notice) -> list[str]:
    """Before issuing the notice: can its deadline, the opinion and the order still fit inside
    the order window? (Shown for the lead to confirm; not a refusal.)"""
    end = notice.case.order_window_end
    if notice.kind != Notice.Kind.PROCEDURE_NOTICE or end is None or notice.due_on is None:
        return []
    if notice.due_on + timedelta(days=WINDOW_MARGIN_DAYS) > end:
        return [
            _(
                "The explanation is due on %(due)s and the order window ends on %(end)s: the "
                "Commission's opinion and the order may not fit inside the window."
            )
            % {"due": wareki(notice.due_on), "end": wareki(end)}
        ]
    return []


def check_issue(notice: Notice) -> None:
    """What must hold before a notice is issued; the case page shows the same messages."""
    case = notice.case
    if notice.is_issued:
        raise ValidationError(
            _(
                "This notice was issued already with document number %(number)s; a document "
                "gets one number only."
            )
            % {"number": notice.document_number}
        )
    if notice.kind == Notice.Kind.PROCEDURE_NOTICE:
        if not case.representative:
            raise ValidationError(_("Record the addressee's representative first."))
        if notice.due_on is None or notice.due_on < timezone.localdate():
            raise ValidationError(_("The explanation deadline must be today or later."))
        if case.procedure == OrderCase.Procedure.CHOMON and notice.hearing_at is None:
            raise ValidationError(_("A notice of hearing needs the date, time and place."))
    if notice.kind == Notice.Kind.ORDER:
        check_order(case)
    if notice.kind == Notice.Kind.CLOSING_NOTICE and not notice.reasons.strip():
        raise ValidationError(_("Give the reasons for closing without an order."))


def check_order(case: OrderCase) -> None:
    """The order needs the Commission's opinion (66条の11) and, for a change or suspension order,
    the order window still open (27条の30第5項)."""
    opinion = getattr(case, "opinion", None)
    if opinion is None or not opinion.is_recorded:
        raise ValidationError(
            _("The order cannot be issued before the Commission's opinion is recorded.")
        )
    if case.review is not None and not case.review.has_order_window:
        raise ValidationError(
            _(
                "This change was notified after the fact (%(basis)s): there is no order window, "
                "and no change or suspension order can be issued."
            )
            % {"basis": cite(bases.AFTER_THE_FACT).citation}
        )
    if case.is_change_order and not case.is_order_window_open:
        end = case.order_window_end
        assert end is not None  # a change order belongs to a review, which has a window
        raise ValidationError(
            _(
                "The order window ended on %(end)s: the statute no longer allows this order. "
                "Close the case without an order."
            )
            % {"end": wareki(end)}
        )
    notice = _issued(case, Notice.Kind.PROCEDURE_NOTICE)
    explained = hasattr(case, "explanation")
    overdue = (
        notice is not None and notice.due_on is not None and notice.due_on < timezone.localdate()
    )
    if notice is None or not (explained or overdue):
        raise ValidationError(
            _("Wait for the written explanation or for its deadline to pass before the order.")
        )


def _next_number(authority: IssuingAuthority, day: date) -> tuple[int, str]:
    """The next number of the year, inside the issuing transaction: a rolled-back issue takes
    none, and an issued number is never given again (the counter only counts up)."""
    DocumentSequence.objects.get_or_create(authority=authority, year=day.year)
    sequence = DocumentSequence.objects.select_for_update().get(authority=authority, year=day.year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    text = format_document_number(authority.number_format, day=day, number=sequence.last_number)
    return sequence.last_number, text


@transaction.atomic
def issue_notice(*, notice: Notice, actor: User, ip_address: str | None = None) -> Notice:
    """The lead approves and issues: document number, frozen content, delivery by consent."""
    _lead(actor)
    case = _lock(notice.case)
    notice = Notice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    notice.case = case
    check_issue(notice)
    authority = IssuingAuthority.objects.filter(is_default=True).first()
    if authority is None:
        raise ValidationError(_("No issuing authority is configured; ask an administrator."))
    day = timezone.localdate()
    number, text = _next_number(authority, day)
    with translation.override("ja"):  # the notice is the record: in Japanese
        content = notices.build_content(notice, authority=authority, number=text, day=day)
    electronic = ElectronicNoticeConsent.objects.active().filter(organisation=case.organisation)
    notice.status, notice.authority, notice.content = Notice.Status.ISSUED, authority, content
    notice.document_number, notice.sequence_year, notice.sequence_number = text, day.year, number
    notice.issued_by, notice.issued_at, notice.issued_on = actor, timezone.now(), day
    notice.delivery = "electronic" if electronic.exists() else "paper"
    notice.save()
    _after_issue(notice, actor)
    _audit(actor, AuditAction.ORDER_NOTICE_ISSUE, notice, ip_address, number=text, kind=notice.kind)
    if notice.delivery == "electronic":
        notifications.notice_issued(notice)
    return notice


def _after_issue(notice: Notice, actor: User) -> None:
    case = notice.case
    if notice.kind == Notice.Kind.ORDER:
        kind = (
            FollowUp.Kind.IMPROVEMENT_PLAN
            if case.kind == OrderCase.Kind.IMPROVEMENT_ORDER
            else FollowUp.Kind.CHANGE_NOTIFICATION
        )
        assert notice.due_on is not None  # the order form requires its due date
        FollowUp.objects.create(case=case, kind=kind, due_on=notice.due_on)
    if notice.kind == Notice.Kind.CLOSING_NOTICE:
        _close(case, actor, OrderCase.Outcome.NO_ORDER)


def _close(case: OrderCase, actor: User, outcome: str) -> None:
    case.status, case.outcome = OrderCase.Status.CLOSED, outcome
    case.closed_by, case.closed_at = actor, timezone.now()
    case.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    _audit(actor, AuditAction.ORDER_CASE_CLOSE, case, outcome=outcome)


# --- 7. delivery -----------------------------------------------------------------------------
@transaction.atomic
def record_delivery(
    *,
    notice: Notice,
    actor: User,
    delivered_on: date,
    published_on: date | None = None,
    ip_address: str | None = None,
) -> Notice:
    """到達日 of a notice sent on paper (or confirmed for an electronic one); optional 公表日."""
    _regulator(actor)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_issued:
        raise ValidationError(_("A draft has not been sent; it cannot have arrived."))
    assert notice.issued_on is not None  # issued notices carry their date (constraint)
    if delivered_on < notice.issued_on or delivered_on > timezone.localdate():
        raise ValidationError(
            _("The date of arrival must lie between the date of the notice and today.")
        )
    notice.delivered_on, notice.published_on = delivered_on, published_on
    notice.save(update_fields=["delivered_on", "published_on"])
    _audit(
        actor, AuditAction.ORDER_NOTICE_DELIVERY, notice, ip_address, on=delivered_on.isoformat()
    )
    return notice


@transaction.atomic
def acknowledge_notice(*, notice: Notice, actor: User) -> Notice:
    """A filer opens an electronic notice in the portal: it has reached them (recorded once)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.delivery == "electronic" and notice.delivered_on is None:
        notice.delivered_on = timezone.localdate()
        notice.save(update_fields=["delivered_on"])
        _audit(actor, AuditAction.ORDER_NOTICE_DELIVERY, notice, electronic=True)
    return notice


# --- 4. the filer's 弁明書 ---------------------------------------------------------------------
def _attach(explanation: Explanation, files: list[tuple[UploadedFile, InspectedFile]]) -> None:
    for upload, inspected in files:
        row = ExplanationFile(
            explanation=explanation,
            name=inspected.name,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
        )
        row.file.save("upload", upload, save=False)
        row.save()


@transaction.atomic
def submit_explanation(
    *,
    case: OrderCase,
    actor: User,
    text: str = "",
    declined: bool = False,
    attachments: list[tuple[UploadedFile, InspectedFile]] | None = None,
    ip_address: str | None = None,
) -> Explanation:
    """The officer submits the 弁明書 (or declares none will come) by the deadline."""
    _require(
        actor.role == Role.AGGREGATOR_OFFICER and actor.organisation_id == case.organisation_id,
        _("Only an officer of the addressee submits the written explanation."),
    )
    case = _lock(case)
    notice = _issued(case, Notice.Kind.PROCEDURE_NOTICE)
    if notice is None:
        raise ValidationError(_("No notice asks for a written explanation yet."))
    assert notice.due_on is not None  # an issued procedure notice has its deadline
    if timezone.localdate() > notice.due_on:
        raise ValidationError(
            _(
                "The deadline for the written explanation was %(due)s; it can no longer be "
                "submitted."
            )
            % {"due": wareki(notice.due_on)}
        )
    if hasattr(case, "explanation"):
        raise ValidationError(_("The written explanation has been submitted already."))
    if not declined and not text.strip():
        raise ValidationError(_("Write the explanation, or declare that you will not submit one."))
    explanation = Explanation.objects.create(
        case=case,
        kind=Explanation.Kind.DECLINED if declined else Explanation.Kind.WRITTEN,
        text="" if declined else text.strip(),
        received_on=timezone.localdate(),
        submitted_by=actor,
    )
    _attach(explanation, [] if declined else attachments or [])
    _audit(actor, AuditAction.ORDER_EXPLANATION, explanation, ip_address, kind=explanation.kind)
    return explanation


@transaction.atomic
def record_paper_explanation(
    *,
    case: OrderCase,
    actor: User,
    text: str,
    received_on: date,
    attachments: list[tuple[UploadedFile, InspectedFile]] | None = None,
    ip_address: str | None = None,
) -> Explanation:
    """A 弁明書 received on paper (or, for a hearing, its 聴聞調書 and 報告書), uploaded."""
    _regulator(actor)
    case = _lock(case)
    if hasattr(case, "explanation"):
        raise ValidationError(_("The written explanation has been submitted already."))
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot be in the future."))
    explanation = Explanation.objects.create(
        case=case, kind=Explanation.Kind.PAPER, text=text.strip(), received_on=received_on,
        submitted_by=actor,
    )  # fmt: skip
    _attach(explanation, attachments or [])
    _audit(actor, AuditAction.ORDER_EXPLANATION, explanation, ip_address, kind="paper")
    return explanation


# --- 5. the Commission's opinion -------------------------------------------------------------
@transaction.atomic
def record_opinion(
    *, case: OrderCase, actor: User, fields: dict, ip_address: str | None = None
) -> CommissionOpinion:
    """Request date, the opinion and its arrival, its publication, and its release to the filer."""
    _regulator(actor)
    case = _lock(case)
    if bool(fields.get("arrived_on")) != bool(fields.get("opinion", "").strip()):
        raise ValidationError(_("Record the opinion together with the date it arrived."))
    arrived = fields.get("arrived_on")
    if arrived and arrived < fields["requested_on"]:
        raise ValidationError(_("The opinion cannot arrive before it was requested."))
    opinion, _created = CommissionOpinion.objects.update_or_create(
        case=case, defaults={**fields, "recorded_by": actor}
    )
    _audit(actor, AuditAction.ORDER_OPINION, opinion, ip_address, arrived=bool(arrived))
    return opinion


# --- 8. follow-up and closing -------------------------------------------------------------------
@transaction.atomic
def submit_follow_up(
    *,
    follow_up: FollowUp,
    actor: User,
    text: str,
    filing: Filing | None = None,
    ip_address: str | None = None,
) -> FollowUp:
    """The officer submits the plan, the progress report, or names the change notification."""
    case = _lock(follow_up.case)
    _require(
        actor.role == Role.AGGREGATOR_OFFICER and actor.organisation_id == case.organisation_id,
        _("Only an officer of the addressee submits this."),
    )
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not follow_up.awaits_filer:
        raise ValidationError(_("This has been submitted already."))
    if follow_up.kind == FollowUp.Kind.CHANGE_NOTIFICATION:
        filing = Filing.objects.filter(pk=filing.pk).first() if filing is not None else None
        if filing is None or filing.organisation_id != case.organisation_id or filing.is_draft:
            raise ValidationError(_("Choose the change notification you submitted."))
    elif not text.strip():
        raise ValidationError(_("Write the content before submitting."))
    follow_up.text, follow_up.filing = text.strip(), filing
    follow_up.status, follow_up.submitted_by = FollowUp.Status.SUBMITTED, actor
    follow_up.submitted_at = timezone.now()
    follow_up.save()
    _audit(actor, AuditAction.ORDER_FOLLOW_UP, follow_up, ip_address, status="submitted")
    return follow_up


@transaction.atomic
def decide_follow_up(
    *,
    follow_up: FollowUp,
    actor: User,
    accept: bool,
    comment: str,
    ip_address: str | None = None,
) -> FollowUp:
    """A reviewer accepts or returns (with a comment) what the filer submitted."""
    _regulator(actor)
    case = _lock(follow_up.case)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUp.Status.SUBMITTED:
        raise ValidationError(_("Nothing has been submitted to accept or return."))
    if not accept and not comment.strip():
        raise ValidationError(_("Say why it is returned."))
    follow_up.status = FollowUp.Status.ACCEPTED if accept else FollowUp.Status.RETURNED
    follow_up.comment, follow_up.decided_by = comment.strip(), actor
    follow_up.decided_at = timezone.now()
    follow_up.save()
    if accept and follow_up.kind == FollowUp.Kind.IMPROVEMENT_PLAN:
        due = timezone.localdate() + timedelta(days=PROGRESS_REPORT_AFTER_DAYS)
        FollowUp.objects.create(case=case, kind=FollowUp.Kind.PROGRESS_REPORT, due_on=due)
    _audit(actor, AuditAction.ORDER_FOLLOW_UP, follow_up, ip_address, status=follow_up.status)
    return follow_up


def check_compliance(case: OrderCase) -> None:
    order = _issued(case, Notice.Kind.ORDER)
    if order is None or not order.is_delivered:
        raise ValidationError(_("The order has not been issued and delivered yet."))
    follow_ups = list(case.follow_ups.all())
    if not follow_ups or any(f.status != FollowUp.Status.ACCEPTED for f in follow_ups):
        raise ValidationError(_("Accept every follow-up before recording compliance."))


@transaction.atomic
def record_compliance(*, case: OrderCase, actor: User, ip_address: str | None = None) -> OrderCase:
    """The lead records that the order has been complied with: the case closes."""
    _lead(actor)
    case = _lock(case)
    check_compliance(case)
    _close(case, actor, OrderCase.Outcome.COMPLIED)
    return case


# --- 9. appeals and consent --------------------------------------------------------------------
@transaction.atomic
def record_appeal(
    *, case: OrderCase, actor: User, fields: dict, ip_address: str | None = None
) -> Appeal:
    _regulator(actor)
    case = OrderCase.objects.select_for_update().get(pk=case.pk)  # also after the case closed
    if _issued(case, Notice.Kind.ORDER) is None:
        raise ValidationError(_("An appeal is against an order; no order has been issued."))
    appeal = Appeal.objects.create(case=case, recorded_by=actor, **fields)
    _audit(actor, AuditAction.ORDER_APPEAL, appeal, ip_address, kind=appeal.kind)
    return appeal


@transaction.atomic
def record_consent(
    *, actor: User, consent: bool, email: str = "", ip_address: str | None = None
) -> ElectronicNoticeConsent | None:
    """An officer declares (or withdraws) the company's consent to electronic notices."""
    _require(actor.role == Role.AGGREGATOR_OFFICER, _("Only an officer declares this."))
    current = (
        ElectronicNoticeConsent.objects.select_for_update()
        .active()
        .filter(organisation_id=actor.organisation_id)
        .first()
    )
    if current is not None:
        current.withdrawn_by, current.withdrawn_at = actor, timezone.now()
        current.save(update_fields=["withdrawn_by", "withdrawn_at"])
    row = None
    assert actor.organisation_id is not None  # an officer belongs to an aggregator
    if consent:
        if not email.strip():
            raise ValidationError(_("Give the e-mail address for notices."))
        row = ElectronicNoticeConsent.objects.create(
            organisation_id=actor.organisation_id,
            consented_by=actor,
            consented_at=timezone.now(),
            email=email.strip(),
        )
    _audit(actor, AuditAction.ORDER_CONSENT, row or current, ip_address, consent=consent)
    return row
