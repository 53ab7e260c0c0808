"""State changes of a filing: create, save, upload, submit, start a change notification; each
writes the audit log."""

from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from checklists.models import Catalogue
from filings import carryover, notifications
from filings.completeness import assess
from filings.models import (
    Answer,
    CarryOver,
    Evidence,
    Filing,
    LowerAggregator,
    RequirementCoverage,
    Submission,
)
from filings.signals import filing_submitted
from filings.snapshots import build_snapshot, canonical_json, sha256_text
from filings.uploads import InspectedFile


class StaleEdit(Exception):
    """Someone else saved a newer version of what the user was editing."""


class AlreadySubmitted(Exception):
    pass


def _ensure_draft(filing: Filing) -> None:
    if not filing.is_draft:
        raise PermissionDenied(_("A submitted filing cannot be changed."))


def _lock(filing: Filing) -> Filing:
    return Filing.objects.select_for_update().get(pk=filing.pk)


def _add_rows(filing: Filing) -> None:
    items = list(filing.catalogue.items.all())
    Answer.objects.bulk_create(Answer(filing=filing, item=item) for item in items)
    RequirementCoverage.objects.bulk_create(
        RequirementCoverage(filing=filing, item=item)
        for item in filing.catalogue.items.lower_coverage()
    )


@transaction.atomic
def create_filing(*, actor: User, header: dict, ip_address: str | None = None) -> Filing:
    catalogue = Catalogue.objects.current()
    if catalogue is None:
        raise ValidationError(_("No catalogue has been published yet."))
    # Only aggregator users file, and User.clean() ties each of them to an aggregator.
    assert actor.organisation is not None
    filing = Filing.objects.create(
        organisation=actor.organisation, catalogue=catalogue, created_by=actor, **header
    )
    _add_rows(filing)
    AuditEvent.objects.record(
        actor=actor, action=AuditEvent.Action.FILING_CREATE, target=filing, ip_address=ip_address
    )
    return filing


@transaction.atomic
def update_filing_header(
    *, filing: Filing, actor: User, header: dict, version: int, ip_address: str | None = None
) -> Filing:
    filing = _lock(filing)
    _ensure_draft(filing)
    if filing.version != version:
        raise StaleEdit(filing)
    for name in Filing.HEADER_FIELDS:
        setattr(filing, name, header[name])
    filing.version = F("version") + 1
    filing.save()
    filing.refresh_from_db()
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_SAVE_HEADER,
        target=filing,
        ip_address=ip_address,
    )
    return filing


@transaction.atomic
def set_changed_matters(
    *, filing: Filing, actor: User, matters: list, ip_address: str | None = None
) -> Filing:
    """Which notified matters (27条の30第1項 一–六) a change notification changes; its regime
    (advance 第7項 / after the fact 第9項) follows from them."""
    filing = _lock(filing)
    _ensure_draft(filing)
    if filing.kind != Filing.Kind.CHANGE:
        raise ValidationError(_("Only a change notification states the matters that change."))
    filing.changed_matters.set(matters)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_SAVE_HEADER,
        target=filing,
        ip_address=ip_address,
        data={"changed_matters": sorted(matter.number for matter in matters)},
    )
    return filing


@dataclass
class AnswerEdit:
    FIELDS: ClassVar = Answer.CONTENT_FIELDS

    item_id: int
    values: dict  # status, implementation, justification, target_date
    version: int  # the version the user loaded
    digest: str  # fingerprint of the values the user loaded


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)
    conflicts: dict = field(default_factory=dict)  # item_id -> the colleague's current Answer


@transaction.atomic
def save_answers(
    *, filing: Filing, actor: User, edits: list[AnswerEdit], ip_address: str | None = None
) -> SaveResult:
    """Save the items the user changed; refuse only those a colleague changed in the meantime."""
    _ensure_draft(_lock(filing))
    current = {
        answer.item_id: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(filing=filing, item_id__in=[edit.item_id for edit in edits])
    }  # only the edited rows: saving one item costs the same at 40 items as at 500
    result, changed = SaveResult(), []
    for edit in edits:
        answer = current[edit.item_id]
        proposed = Answer(**edit.values)
        if proposed.content_digest() in {edit.digest, answer.content_digest()}:
            continue  # untouched by this user, or already saved with the same content
        if answer.version != edit.version:
            result.conflicts[edit.item_id] = answer
            continue
        for name, value in edit.values.items():
            setattr(answer, name, value)
        answer.version += 1
        answer.updated_by = actor
        answer.updated_at = timezone.now()
        changed.append(answer)
        result.saved.append(edit.item_id)
    if changed:
        Answer.objects.bulk_update(
            changed,
            [*AnswerEdit.FIELDS, "version", "updated_by", "updated_at"],
        )
        AuditEvent.objects.record(
            actor=actor,
            action=AuditEvent.Action.FILING_SAVE_ANSWERS,
            target=filing,
            ip_address=ip_address,
            data={"items": sorted(answer.item.code for answer in changed)},
        )
    return result


@transaction.atomic
def import_answers(
    *, filing: Filing, actor: User, edits: list[AnswerEdit], ip_address: str | None = None
) -> SaveResult:
    """Answers read from a filled-in workbook: all saved, or none when a colleague changed one of
    the same items since the download (the conflicts are returned, nothing is written)."""
    result = save_answers(filing=filing, actor=actor, edits=edits, ip_address=ip_address)
    if result.conflicts:
        transaction.set_rollback(True)
        result.saved = []
    return result


@transaction.atomic
def add_evidence(
    *,
    filing: Filing,
    actor: User,
    upload,
    inspected: InspectedFile,
    kind: str,
    answers: list[Answer],
    ip_address: str | None = None,
) -> Evidence:
    filing = _lock(filing)
    _ensure_draft(filing)
    used = filing.evidence_files.aggregate(total=Sum("size"))["total"] or 0
    if used + inspected.size > settings.EVIDENCE_MAX_FILING_BYTES:
        raise ValidationError(
            _("This filing would exceed its evidence limit of %(limit)d MB.")
            % {"limit": settings.EVIDENCE_MAX_FILING_BYTES // (1024 * 1024)}
        )
    evidence = Evidence(
        filing=filing,
        kind=kind,
        original_name=inspected.name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", upload, save=False)
    evidence.save()
    evidence.answers.set(answer for answer in answers if answer.filing_id == filing.pk)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.EVIDENCE_UPLOAD,
        target=evidence,
        ip_address=ip_address,
        data={"filing": filing.pk, "sha256": inspected.sha256, "size": inspected.size},
    )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, actor: User, ip_address: str | None = None) -> None:
    """Drop the file from a draft. The stored file stays: earlier submissions may list it."""
    _ensure_draft(_lock(evidence.filing))
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.EVIDENCE_REMOVE,
        target=evidence,
        ip_address=ip_address,
        data={"filing": evidence.filing_id, "sha256": evidence.sha256},
    )
    evidence.delete()


@transaction.atomic
def save_lower_aggregators(
    *,
    filing: Filing,
    actor: User,
    uses: bool | None,
    aggregators: list[dict],
    removed: list[int],
    coverage: dict[int, dict],
    version: int | None,
    ip_address: str | None = None,
) -> None:
    filing = _lock(filing)
    _ensure_draft(filing)
    if filing.version != version:
        raise StaleEdit(filing)
    filing.uses_lower_aggregators = uses
    filing.version = F("version") + 1
    filing.save(update_fields=["uses_lower_aggregators", "version", "updated_at"])
    filing.lower_aggregators.filter(pk__in=removed).delete()
    for row in aggregators:
        pk = row.pop("id", None)
        if pk:
            filing.lower_aggregators.filter(pk=pk).update(**row)
        else:
            LowerAggregator.objects.create(filing=filing, **row)
    rows = list(filing.coverage.filter(item_id__in=coverage))
    for coverage_row in rows:
        coverage_row.covered = coverage[coverage_row.item_id]["covered"]
        coverage_row.clause_reference = coverage[coverage_row.item_id]["clause_reference"]
    RequirementCoverage.objects.bulk_update(rows, ["covered", "clause_reference"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_SAVE_LOWER,
        target=filing,
        ip_address=ip_address,
    )


def receipt_number_for(filing: Filing, when) -> str:
    return f"CS-{timezone.localtime(when):%Y}-{filing.pk:06d}"


@transaction.atomic
def submit_filing(*, filing: Filing, actor: User, ip_address: str | None = None) -> Submission:
    """File it: one immutable snapshot, one receipt number, however often it is clicked."""
    if not actor.can_submit_filings or actor.organisation_id != filing.organisation_id:
        raise PermissionDenied(_("Only an officer of the company can submit its filing."))
    filing = _lock(filing)
    if not filing.is_draft:
        raise AlreadySubmitted(filing)
    if assess(filing).incomplete:
        raise ValidationError(_("The filing is incomplete; complete it before submitting."))
    # The conditional update makes the second of two concurrent submits a no-op on any database.
    if not Filing.objects.filter(pk=filing.pk, status=Filing.Status.DRAFT).update(
        status=Filing.Status.SUBMITTED, version=F("version") + 1
    ):
        raise AlreadySubmitted(filing)
    now = timezone.now()
    receipt_number = receipt_number_for(filing, now)
    text = canonical_json(
        build_snapshot(
            filing=filing, receipt_number=receipt_number, submitted_at=now, submitted_by=actor
        )
    )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                filing=filing,
                receipt_number=receipt_number,
                submitted_at=now,
                submitted_by=actor,
                canonical_json=text,
                sha256=sha256_text(text),
            )
    except IntegrityError as error:
        raise AlreadySubmitted(filing) from error
    filing_submitted.send(sender=Submission, submission=submission)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_SUBMIT,
        target=filing,
        ip_address=ip_address,
        data={"receipt_number": receipt_number, "sha256": submission.sha256},
    )
    return submission


def _check_company_draft(filing: Filing, actor: User) -> Filing:
    if not actor.is_aggregator_user or actor.organisation_id != filing.organisation_id:
        raise PermissionDenied
    filing = _lock(filing)
    if not filing.is_draft:
        raise AlreadySubmitted(filing)
    return filing


@transaction.atomic
def request_submission(
    *, filing: Filing, actor: User, comment: str = "", ip_address: str | None = None
) -> Filing:
    """確認依頼: hand the draft to the company's officers to check and submit; they are told."""
    filing = _check_company_draft(filing, actor)
    filing.submission_requested_at = timezone.now()
    filing.submission_requested_by = actor
    filing.handoff_comment = comment
    filing.save(update_fields=[*HANDOFF_FIELDS])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_REQUEST_SUBMISSION,
        target=filing,
        ip_address=ip_address,
        data={"comment": comment},
    )
    notifications.submission_requested(filing)
    return filing


@transaction.atomic
def send_back(
    *, filing: Filing, actor: User, comment: str, ip_address: str | None = None
) -> Filing:
    """差戻し: an officer returns the draft to staff with a comment; whoever asked is told."""
    if not actor.can_submit_filings:
        raise PermissionDenied(_("Only an officer of the company can send a draft back."))
    filing = _check_company_draft(filing, actor)
    if not comment.strip():
        raise ValidationError(_("Say what to change before sending the draft back."))
    requested_by = filing.submission_requested_by
    filing.submission_requested_at = None
    filing.submission_requested_by = None
    filing.returned_at = timezone.now()
    filing.handoff_comment = comment
    filing.save(update_fields=[*HANDOFF_FIELDS])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_SEND_BACK,
        target=filing,
        ip_address=ip_address,
        data={"comment": comment},
    )
    notifications.sent_back(filing, requested_by)
    return filing


HANDOFF_FIELDS = (
    "submission_requested_at",
    "submission_requested_by",
    "returned_at",
    "handoff_comment",
)


@transaction.atomic
def start_change_notification(
    *, filing: Filing, actor: User, ip_address: str | None = None
) -> Filing:
    """A change notification: a new draft copied from the latest submitted filing."""
    if actor.organisation_id != filing.organisation_id:
        raise PermissionDenied
    filing = _lock(filing)
    if filing.is_draft or filing.amendments.filter(status=Filing.Status.SUBMITTED).exists():
        raise ValidationError(_("Only the latest submitted filing can be amended."))
    existing = filing.amendments.filter(status=Filing.Status.DRAFT).first()
    if existing is not None:
        return existing
    # On the amended filing's version: moving to a newer one is the filer's step, through the
    # carry-over preview (never a silent match by item code).
    catalogue = filing.catalogue
    draft = Filing.objects.create(
        organisation=filing.organisation,
        catalogue=catalogue,
        kind=Filing.Kind.CHANGE,
        amends=filing,
        created_by=actor,
        **{name: getattr(filing, name) for name in Filing.HEADER_FIELDS},
    )
    _add_rows(draft)
    _copy_content(source=filing, target=draft)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.CHANGE_NOTIFICATION_START,
        target=draft,
        ip_address=ip_address,
        data={"amends": filing.receipt_number},
    )
    return draft


def _copy_content(*, source: Filing, target: Filing) -> None:
    """Copy answers (matched by item code), evidence, lower-level aggregators and coverage."""
    files = {}
    for evidence in source.evidence_files.all():
        old_pk = evidence.pk
        evidence.pk, evidence.filing = None, target
        evidence.save()
        files[old_pk] = evidence
    old_answers = {
        answer.item.code: answer
        for answer in source.answers.select_related("item").prefetch_related("evidence")
    }
    new_answers = list(target.answers.select_related("item"))
    for answer in new_answers:
        old = old_answers.get(answer.item.code)
        if old is not None:
            answer.status, answer.implementation = old.status, old.implementation
            answer.justification, answer.target_date = old.justification, old.target_date
    Answer.objects.bulk_update(new_answers, AnswerEdit.FIELDS)
    links = [
        Answer.evidence.through(answer_id=answer.pk, evidence_id=files[file.pk].pk)
        for answer in new_answers
        if answer.item.code in old_answers
        for file in old_answers[answer.item.code].evidence.all()
    ]
    Answer.evidence.through.objects.bulk_create(links)
    LowerAggregator.objects.bulk_create(
        LowerAggregator(
            filing=target,
            name=row.name,
            corporate_number=row.corporate_number,
            contract_date=row.contract_date,
        )
        for row in source.lower_aggregators.all()
    )
    old_coverage = {row.item.code: row for row in source.coverage.select_related("item")}
    rows = list(target.coverage.select_related("item"))
    for row in rows:
        if row.item.code in old_coverage:
            row.covered = old_coverage[row.item.code].covered
            row.clause_reference = old_coverage[row.item.code].clause_reference
    RequirementCoverage.objects.bulk_update(rows, ["covered", "clause_reference"])


def _ensure_filer(actor: User, filing: Filing) -> None:
    if not actor.is_aggregator_user or actor.organisation_id != filing.organisation_id:
        raise PermissionDenied


@transaction.atomic
def move_filing(*, filing: Filing, actor: User, ip_address: str | None = None) -> CarryOver:
    """Move a draft to the next catalogue version through the mapping (filings.carryover): the
    old answers stay on the record, the new ones are carried over unconfirmed."""
    _ensure_filer(actor, filing)
    filing = _lock(filing)
    _ensure_draft(filing)
    target = carryover.next_version(filing)
    if target is None:
        raise ValidationError(_("There is no newer catalogue version to move this filing to."))
    plan = carryover.preview(filing, target)
    move = CarryOver.objects.create(
        filing=filing, from_catalogue=filing.catalogue, to_catalogue=target, moved_by=actor
    )
    old_coverage = {row.item_id: row for row in filing.coverage.all()}
    filing.answers.update(moved_by=move)
    filing.coverage.update(moved_by=move)
    carries = {carry.item_id: carry for carry in plan.carries}
    new_answers = Answer.objects.bulk_create(
        carryover.new_answer(filing, item_id, carries.get(item_id), actor)
        for item_id in target.items.values_list("pk", flat=True)
    )
    Answer.evidence.through.objects.bulk_create(
        Answer.evidence.through(answer_id=answer.pk, evidence_id=evidence_id)
        for answer in new_answers
        if answer.item_id in carries
        for evidence_id in carries[answer.item_id].evidence
    )
    RequirementCoverage.objects.bulk_create(
        carryover.new_coverage(filing, item_id, old_coverage, plan)
        for item_id in target.items.lower_coverage().values_list("pk", flat=True)
    )
    Filing.objects.filter(pk=filing.pk).update(catalogue=target, version=F("version") + 1)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_CARRY_OVER,
        target=filing,
        ip_address=ip_address,
        data=carryover.audit_data(move, plan),
    )
    return move


@transaction.atomic
def undo_move(*, filing: Filing, actor: User, ip_address: str | None = None) -> CarryOver:
    """Back to the version the draft left, its answers as they were; refused once anything was
    typed or uploaded on the new version (undoing would discard it)."""
    _ensure_filer(actor, filing)
    filing = _lock(filing)
    _ensure_draft(filing)
    move = filing.carry_overs.filter(undone_at__isnull=True).first()
    if move is None or move.to_catalogue_id != filing.catalogue_id:
        raise ValidationError(_("There is no move to undo."))
    edited = sorted(filing.answers.filter(version__gt=1).values_list("item__code", flat=True))
    if edited or filing.evidence_files.filter(uploaded_at__gt=move.moved_at).exists():
        raise ValidationError(
            _(
                "The move cannot be undone: answers or evidence were changed on the new version "
                "since (%(codes)s), and undoing would discard them."
            )
            % {"codes": "、".join(edited) or _("evidence")}
        )
    filing.answers.all().delete()
    filing.coverage.all().delete()
    Answer.with_moved.filter(moved_by=move).update(moved_by=None)
    RequirementCoverage.with_moved.filter(moved_by=move).update(moved_by=None)
    Filing.objects.filter(pk=filing.pk).update(
        catalogue=move.from_catalogue, version=F("version") + 1
    )
    move.undone_at = timezone.now()
    move.save(update_fields=["undone_at"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.FILING_UNDO_CARRY_OVER,
        target=filing,
        ip_address=ip_address,
        data={"from": move.to_catalogue.version, "to": move.from_catalogue.version},
    )
    return move


@transaction.atomic
def confirm_carried_answers(
    *, filing: Filing, actor: User, item_ids: list[int], ip_address: str | None = None
) -> int:
    """The filer has checked these carried-over answers (and their evidence links)."""
    _ensure_filer(actor, filing)
    _ensure_draft(_lock(filing))
    answers = filing.answers.filter(item_id__in=item_ids).exclude(carry_state="")
    codes = sorted(answers.values_list("item__code", flat=True))
    count = answers.update(carry_state="", updated_by=actor, updated_at=timezone.now())
    if count:
        AuditEvent.objects.record(
            actor=actor,
            action=AuditEvent.Action.FILING_CONFIRM_CARRIED,
            target=filing,
            ip_address=ip_address,
            data={"items": codes},
        )
    return count
