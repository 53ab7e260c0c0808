import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, Role
from filings import services
from filings.models import Filing, Submission
from filings.services import AnswerEdit
from tests.factories import answer_all, make_filing, make_submitted

pytestmark = pytest.mark.django_db


def edit_for(answer, **values):
    base = {name: getattr(answer, name) for name in AnswerEdit.FIELDS}
    return AnswerEdit(
        item_id=answer.item_id,
        values={**base, **values},
        version=answer.version,
        digest=answer.content_digest(),
    )


def test_a_new_filing_pins_the_current_catalogue_and_has_one_answer_per_item(catalogue, staff):
    filing = make_filing(staff)
    assert filing.catalogue == catalogue
    assert filing.answers.count() == catalogue.items.count()
    assert filing.coverage.count() == catalogue.items.lower_coverage().count()
    assert AuditEvent.objects.filter(action="filing.create").count() == 1


def test_saving_answers_writes_only_changed_items(catalogue, staff):
    filing = make_filing(staff)
    answers = list(filing.answers.select_related("item").order_by("item__order"))
    edits = [edit_for(answers[0], status="implemented", implementation="方針を承認済")]
    edits += [edit_for(answer) for answer in answers[1:]]
    result = services.save_answers(filing=filing, actor=staff, edits=edits)
    assert result.saved == [answers[0].item_id]
    answers[0].refresh_from_db()
    assert (answers[0].status, answers[0].version) == ("implemented", 2)


def test_a_colleagues_newer_change_to_the_same_item_is_a_conflict(catalogue, staff, officer):
    filing = make_filing(staff)
    answer = filing.answers.select_related("item").first()
    stale = edit_for(answer, status="partial", implementation="私の入力")
    services.save_answers(
        filing=filing, actor=officer, edits=[edit_for(answer, status="implemented")]
    )
    result = services.save_answers(filing=filing, actor=staff, edits=[stale])
    assert result.conflicts[answer.item_id].status == "implemented"
    answer.refresh_from_db()
    assert answer.status == "implemented"


def test_changes_to_different_items_never_conflict(catalogue, staff, officer):
    filing = make_filing(staff)
    first, second = list(filing.answers.order_by("item__order")[:2])
    opened = [edit_for(first), edit_for(second)]  # both users opened the page now
    services.save_answers(
        filing=filing,
        actor=officer,
        edits=[edit_for(first, status="implemented", implementation="A"), opened[1]],
    )
    mine = [opened[0], edit_for(second, status="not_implemented")]
    result = services.save_answers(filing=filing, actor=staff, edits=mine)
    assert not result.conflicts
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("implemented", "not_implemented")


def test_a_stale_header_save_is_refused(catalogue, staff, officer):
    filing = make_filing(staff)
    header = {name: getattr(filing, name) for name in Filing.HEADER_FIELDS}
    services.update_filing_header(
        filing=filing, actor=officer, header={**header, "contact_name": "新"}, version=1
    )
    with pytest.raises(services.StaleEdit):
        services.update_filing_header(
            filing=filing, actor=staff, header={**header, "contact_name": "旧"}, version=1
        )
    filing.refresh_from_db()
    assert filing.contact_name == "新"


def test_submission_writes_an_immutable_snapshot_whose_hash_recomputes(catalogue, officer):
    filing = make_submitted(officer, **{"SYS-1": "not_implemented"})
    submission = filing.submission
    assert filing.status == Filing.Status.SUBMITTED
    assert submission.receipt_number == f"CS-{submission.submitted_at:%Y}-{filing.pk:06d}"
    recomputed = hashlib.sha256(submission.canonical_json.encode()).hexdigest()
    assert recomputed == submission.sha256
    snapshot = json.loads(submission.canonical_json)
    assert snapshot["catalogue"]["version"] == "2026.1"
    assert {entry["code"]: entry["status"] for entry in snapshot["items"]}["SYS-1"] == (
        "not_implemented"
    )
    with pytest.raises(ValueError, match="immutable"):
        submission.save()


def test_submitting_twice_produces_exactly_one_submission(catalogue, officer):
    filing = answer_all(make_filing(officer))
    services.submit_filing(filing=filing, actor=officer)
    with pytest.raises(services.AlreadySubmitted):
        services.submit_filing(filing=filing, actor=officer)
    assert Submission.objects.count() == 1
    assert AuditEvent.objects.filter(action="filing.submit").count() == 1


def test_staff_cannot_submit(catalogue, staff):
    filing = answer_all(make_filing(staff))
    with pytest.raises(PermissionDenied):
        services.submit_filing(filing=filing, actor=staff)
    assert not Submission.objects.exists()


def test_an_officer_of_another_company_cannot_submit(catalogue, staff, other_company):
    from tests.factories import user_with_role

    filing = answer_all(make_filing(staff))
    stranger = user_with_role(Role.AGGREGATOR_OFFICER, other_company)
    with pytest.raises(PermissionDenied):
        services.submit_filing(filing=filing, actor=stranger)


def test_an_incomplete_filing_cannot_be_submitted(catalogue, officer):
    filing = make_filing(officer)
    with pytest.raises(ValidationError):
        services.submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    assert filing.is_draft


def test_a_submitted_filing_refuses_every_change(catalogue, officer):
    filing = make_submitted(officer)
    answer = filing.answers.first()
    with pytest.raises(PermissionDenied):
        services.save_answers(
            filing=filing, actor=officer, edits=[edit_for(answer, status="partial")]
        )
    header = {name: getattr(filing, name) for name in Filing.HEADER_FIELDS}
    with pytest.raises(PermissionDenied):
        services.update_filing_header(
            filing=filing, actor=officer, header=header, version=filing.version
        )


def test_a_change_notification_copies_the_submitted_filing(catalogue, officer):
    original = make_submitted(officer, **{"SYS-1": "partial"})
    draft = services.start_change_notification(filing=original, actor=officer)
    assert (draft.kind, draft.amends, draft.is_draft) == ("change", original, True)
    copied = {a.item.code: a.status for a in draft.answers.select_related("item")}
    assert copied["SYS-1"] == "partial"
    again = services.start_change_notification(filing=original, actor=officer)
    assert again == draft  # one draft change at a time


def test_only_the_latest_submitted_filing_can_be_amended(catalogue, officer):
    original = make_submitted(officer)
    draft = services.start_change_notification(filing=original, actor=officer)
    answer_all(draft)
    services.submit_filing(filing=draft, actor=officer)
    with pytest.raises(ValidationError):
        services.start_change_notification(filing=original, actor=officer)


# --- issue 18: 確認依頼 / 差戻し ---------------------------------------------------------------
def test_staff_hand_a_draft_to_their_officers_who_send_it_back_with_a_comment(
    catalogue, staff, officer, mailoutbox, django_capture_on_commit_callbacks
):
    from filings.services import request_submission, send_back

    filing = make_filing(staff)
    with django_capture_on_commit_callbacks(execute=True):
        request_submission(filing=filing, actor=staff, comment="確認をお願いします。")
    filing.refresh_from_db()
    assert filing.awaits_officer and filing.submission_requested_by == staff
    assert [message.to for message in mailoutbox] == [[officer.email]]
    assert "確認依頼" in mailoutbox[0].subject
    with pytest.raises(PermissionDenied):
        send_back(filing=filing, actor=staff, comment="自分で戻す")
    with pytest.raises(ValidationError):
        send_back(filing=filing, actor=officer, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        send_back(filing=filing, actor=officer, comment="SYS-1 の説明を具体的に。")
    filing.refresh_from_db()
    assert filing.was_sent_back and not filing.awaits_officer
    assert mailoutbox[-1].to == [staff.email] and "SYS-1 の説明を具体的に。" in mailoutbox[-1].body
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "filing.request_submission" in actions and "filing.send_back" in actions
