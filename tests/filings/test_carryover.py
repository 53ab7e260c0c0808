"""Carry-over between catalogue versions: one rule per relation (filings.carryover.plan), then the
service that applies it, its undo, the confirmation and the submission it gates."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, Role
from checklists.services import create_draft_catalogue, publish_catalogue
from filings import services
from filings.carryover import OldAnswer, plan
from filings.models import Answer, RequirementCoverage
from tests.factories import (
    add_pdf,
    answer_all,
    large_catalogue,
    make_filing,
    published_revision,
    user_with_role,
)

pytestmark = pytest.mark.django_db

DONE = OldAnswer(1, "A-1", "implemented", "対策済み", "", None, (11,))
PARTIAL = OldAnswer(2, "A-2", "partial", "一部のみ", "", date(2027, 3, 31), (12,))


def carry_of(relation, *sources, typed=frozenset()):
    answers = {s.item_id: s for s in sources}
    edges = [(100, s.item_id, relation) for s in sources] or [(100, None, relation)]
    return plan(relations=edges, old_answers=answers, typed=set(typed)).carries[0]


# --- the rule of each relation -----------------------------------------------------------------
@pytest.mark.parametrize("relation", ["same", "reworded"])
def test_same_and_reworded_answers_are_carried_over_unconfirmed(relation):
    carry = carry_of(relation, DONE)
    assert carry.state == "carried"
    assert carry.values == {
        "status": "implemented",
        "implementation": "対策済み",
        "justification": "",
        "target_date": None,
    }
    assert carry.evidence == (11,) and carry.sources == ("A-1",)


def test_a_split_answer_is_copied_to_each_part_with_its_evidence():
    result = plan(relations=[(100, 1, "split"), (101, 1, "split")], old_answers={1: DONE}).carries
    assert [(c.item_id, c.state, c.values["status"], c.evidence) for c in result] == [
        (100, "carried", "implemented", (11,)),
        (101, "carried", "implemented", (11,)),
    ]


@pytest.mark.parametrize("relation", ["narrowed", "broadened"])
def test_narrowed_and_broadened_answers_are_carried_over_to_be_checked(relation):
    carry = carry_of(relation, PARTIAL)
    assert carry.state == "check"
    assert carry.values["status"] == "partial"
    assert carry.values["target_date"] == date(2027, 3, 31)


def test_merged_answers_that_agree_are_carried_over_to_be_checked_with_all_evidence():
    twin = OldAnswer(2, "A-2", "implemented", "対策済み", "", None, (13,))
    carry = carry_of("merged", DONE, twin)
    assert carry.state == "check" and not carry.conflict
    assert carry.values["status"] == "implemented"
    assert carry.evidence == (11, 13)
    assert carry.sources == ("A-1", "A-2")


def test_merged_answers_that_conflict_are_never_reduced_to_one():
    carry = carry_of("merged", DONE, PARTIAL)
    assert carry.conflict and carry.state == "check"
    assert carry.values["status"] == ""  # the filer chooses; the portal does not
    assert carry.values["target_date"] is None
    assert "[A-1：実施済] 対策済み" in carry.values["implementation"]
    assert "[A-2：一部実施] 一部のみ" in carry.values["implementation"]
    assert carry.evidence == (11, 12)  # both answers' evidence follows


def test_a_merged_item_with_one_answered_part_carries_that_answer_to_be_checked():
    blank = OldAnswer(2, "A-2")
    carry = carry_of("merged", DONE, blank)
    assert carry.state == "check" and not carry.conflict
    assert carry.values["status"] == "implemented" and carry.sources == ("A-1",)


def test_a_new_item_starts_empty():
    carry = carry_of("new")
    assert not carry.carries and carry.values == {} and carry.evidence == ()


def test_an_answer_to_a_removed_item_is_left_on_the_record_not_carried():
    result = plan(relations=[(None, 1, "removed")], old_answers={1: DONE})
    assert result.carries == [] and result.removed == [DONE]


def test_an_unanswered_old_item_carries_nothing():
    assert not carry_of("same", OldAnswer(1, "A-1")).carries


def test_a_target_answer_already_typed_is_never_overwritten():
    carry = carry_of("same", DONE, typed={100})
    assert carry.kept and not carry.carries and carry.values == {}


# --- moving a draft ----------------------------------------------------------------------------
@pytest.fixture
def publish(catalogue, users):
    """Publishes 2027.1 when called: drafts started before stay on 2026.1 until moved."""
    return lambda: published_revision(catalogue, users[Role.ADMIN])


def half_filled(staff, officer, catalogue):
    """A draft on 2026.1, half its items answered, evidence on SYS-2 and INC-3."""
    filing = make_filing(staff)
    codes = list(catalogue.items.order_by("order").values_list("code", flat=True))
    answer_all(filing, "implemented", **{"INC-4": "partial"})
    filing.answers.filter(item__code__in=codes[len(codes) // 2 :]).exclude(
        item__code__in=["INC-3", "INC-4", "EXT-12"]
    ).update(status="", implementation="", justification="", target_date=None)
    answers = filing.answers.filter(item__code__in=["SYS-2", "INC-3"])
    add_pdf(filing, staff, "接続点.pdf", answers)
    return filing


def by_code(filing):
    return {a.item.code: a for a in filing.answers.select_related("item")}


def test_moving_a_draft_applies_every_relation_and_keeps_removed_answers(
    catalogue, publish, staff, officer
):
    filing = half_filled(staff, officer, catalogue)
    revision = publish()
    evidence = filing.evidence_files.get()
    move = services.move_filing(filing=filing, actor=staff)
    filing.refresh_from_db()
    assert filing.catalogue == revision
    answers = by_code(filing)
    assert set(answers) == set(revision.items.values_list("code", flat=True))
    assert answers["SYS-3"].carry_state == "carried"  # reworded
    assert answers["SYS-2"].carry_state == answers["SYS-6"].carry_state == "carried"  # split
    assert list(answers["SYS-6"].evidence.all()) == [evidence]  # evidence follows the split
    merged = answers["INC-3"]  # INC-3 implemented + INC-4 partial: a conflict, nothing chosen
    assert merged.carry_state == "check" and merged.status == ""
    assert merged.carried_from == "INC-3、INC-4"
    assert list(merged.evidence.all()) == [evidence]
    assert answers["SYS-7"].status == "" and answers["SYS-7"].carry_state == ""  # new
    left = Answer.with_moved.filter(moved_by=move).select_related("item")
    assert {a.item.code for a in left} >= {"EXT-12", "INC-4"}  # on the record, read-only
    assert left.get(item__code="EXT-12").status == "implemented"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.FILING_CARRY_OVER).get()
    assert event.data["left_on_removed_items"] == ["EXT-12"]
    assert event.data["conflicts"] == ["INC-3+INC-4"]


def test_coverage_follows_the_mapping_and_a_merge_is_covered_only_if_both_were(
    catalogue, publish, staff
):
    filing = make_filing(staff)
    publish()
    filing.coverage.filter(item__code__in=["INC-3", "ORG-1"]).update(
        covered=True, clause_reference="第5条"
    )
    services.move_filing(filing=filing, actor=staff)
    rows = {row.item.code: row for row in filing.coverage.select_related("item")}
    assert rows["ORG-1"].covered and rows["ORG-1"].clause_reference == "第5条"
    assert not rows["INC-3"].covered  # INC-4 was not covered
    assert "INC-4" not in rows
    assert RequirementCoverage.with_moved.filter(filing=filing, item__code="INC-4").exists()


def test_submission_waits_until_every_carried_answer_is_confirmed(
    catalogue, publish, staff, officer
):
    filing = answer_all(make_filing(staff))
    revision = publish()
    services.move_filing(filing=filing, actor=staff)
    answer_all(filing)  # fills SYS-7 and INC-3, but leaves the carried marks
    Answer.objects.filter(filing=filing, item__code__in=["SYS-7"]).update(carry_state="")
    with pytest.raises(ValidationError):
        services.submit_filing(filing=filing, actor=officer)
    carried = list(filing.answers.exclude(carry_state="").values_list("item_id", flat=True))
    assert services.confirm_carried_answers(filing=filing, actor=officer, item_ids=carried)
    assert services.submit_filing(filing=filing, actor=officer).snapshot["catalogue"] == {
        "version": "2027.1",
        "title_ja": revision.title_ja,
    }


def test_a_move_is_undone_exactly_while_nothing_was_changed_since(catalogue, publish, staff):
    filing = half_filled(staff, None, catalogue)
    revision = publish()
    before = {
        code: (a.status, a.implementation, sorted(e.pk for e in a.evidence.all()))
        for code, a in by_code(filing).items()
    }
    services.move_filing(filing=filing, actor=staff)
    services.undo_move(filing=filing, actor=staff)
    filing.refresh_from_db()
    assert filing.catalogue == catalogue
    after = {
        code: (a.status, a.implementation, sorted(e.pk for e in a.evidence.all()))
        for code, a in by_code(filing).items()
    }
    assert after == before
    assert not Answer.with_moved.filter(filing=filing, item__catalogue=revision).exists()


def test_undo_is_refused_once_an_answer_was_edited_on_the_new_version(catalogue, publish, staff):
    filing = make_filing(staff)
    publish()
    services.move_filing(filing=filing, actor=staff)
    answer = filing.answers.get(item__code="SYS-7")
    edit = services.AnswerEdit(
        answer.item_id,
        {"status": "implemented", "implementation": "多要素認証", "justification": ""}
        | {"target_date": None},
        answer.version,
        answer.content_digest(),
    )
    services.save_answers(filing=filing, actor=staff, edits=[edit])
    with pytest.raises(ValidationError, match="SYS-7"):
        services.undo_move(filing=filing, actor=staff)


def test_only_the_companys_own_users_move_a_draft_and_only_a_draft(
    catalogue, publish, staff, officer, other_company
):
    filing = make_filing(staff)
    publish()
    for outsider in (
        user_with_role(Role.AGGREGATOR_OFFICER, other_company),
        user_with_role(Role.REVIEWER),
    ):
        with pytest.raises(PermissionDenied):
            services.move_filing(filing=filing, actor=outsider)
    services.move_filing(filing=filing, actor=staff)
    with pytest.raises(ValidationError):  # already on the newest version
        services.move_filing(filing=filing, actor=staff)


def test_moving_costs_the_same_queries_at_29_and_500_items(catalogue, users, staff):
    admin = users[Role.ADMIN]
    counts = {}
    for size in (29, 500):
        if size == 500:
            large_catalogue(catalogue, admin, 500)  # new filings pin it
        filing = answer_all(make_filing(staff))
        add_pdf(filing, staff, "a.pdf", filing.answers.all()[:5])
        successor = publish_catalogue(
            catalogue=create_draft_catalogue(
                based_on=filing.catalogue, version=f"next-{size}", actor=admin
            ),
            actor=admin,
        )
        with CaptureQueriesContext(connection) as captured:
            services.move_filing(filing=filing, actor=staff)
        counts[size] = len(captured)
        assert filing.answers.count() == successor.items.count() == size
        assert filing.answers.filter(carry_state="carried").count() == size
    assert counts[29] == counts[500], counts
