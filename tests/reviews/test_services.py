from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import AuditEvent, Role
from reviews import services
from reviews.models import Flag, Review
from tests.factories import make_review, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalogue, users):
    return make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})


def decide_all(review, actor):
    for flag in review.flags.exclude(kind="advisory"):
        services.decide_flag(flag=flag, actor=actor, decision="confirm", reason="確認")


def test_submission_opens_a_review_with_flags_from_the_snapshot(review):
    assert review.status == Review.Status.SUBMITTED
    assert review.deadline - review.received_at == timedelta(days=30)
    kinds = {(flag.kind, flag.item_code) for flag in review.flags.all()}
    assert ("change_order", "SYS-1") in kinds
    assert review.open_candidates == 1
    assert ("inquiry", "ORG-1") in kinds  # implemented, no evidence attached


def test_submission_notifies_the_filer_and_the_reviewers(
    catalogue, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_review(users[Role.AGGREGATOR_OFFICER])
    (message,) = mail.outbox
    assert "受け付けました" in message.subject
    assert users[Role.REVIEWER].email in message.to
    assert users[Role.AGGREGATOR_STAFF].email in message.to


def test_confirming_a_candidate_closes_it_and_moves_the_review_on(review, users):
    flag = review.flags.get(kind="change_order")
    services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="confirm", reason="")
    review.refresh_from_db()
    assert (review.status, review.open_candidates) == ("under_review", 0)
    assert AuditEvent.objects.filter(action="flag.confirm").exists()


def test_deciding_a_flag_twice_is_refused(review, users):
    flag = review.flags.get(kind="change_order")
    services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="confirm", reason="")
    with pytest.raises(ValidationError, match="既に"):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="dismiss", reason="x")
    flag.refresh_from_db()
    assert flag.decision == "confirm"


def test_dismissing_without_a_reason_is_refused(review, users):
    flag = review.flags.get(kind="change_order")
    with pytest.raises(ValidationError):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="dismiss", reason=" ")
    flag.refresh_from_db()
    assert flag.decision == ""


def test_an_inquiry_waits_for_the_filer_and_a_late_answer_is_accepted_but_marked(
    review, users, django_capture_on_commit_callbacks
):
    flag = review.flags.get(kind="change_order")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_flag(
            flag=flag,
            actor=users[Role.REVIEWER],
            decision="inquire",
            reason="",
            question="完了予定は？",
            due_date=timezone.localdate(),
        )
    review.refresh_from_db()
    assert review.status == Review.Status.INQUIRY
    assert users[Role.AGGREGATOR_STAFF].email in mail.outbox[-1].to
    inquiry = flag.inquiries.get()
    type(inquiry).objects.filter(pk=inquiry.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="confirm", reason="")
    answered = services.answer_inquiry(
        inquiry=inquiry, actor=users[Role.AGGREGATOR_STAFF], answer="3月に完了"
    )
    assert answered.is_late
    review.refresh_from_db()
    assert review.status == Review.Status.UNDER_REVIEW
    services.decide_flag(
        flag=flag, actor=users[Role.REVIEWER], decision="dismiss", reason="回答で解消"
    )


def test_another_company_cannot_answer_an_inquiry(review, users, other_company):
    flag = review.flags.get(kind="change_order")
    services.decide_flag(
        flag=flag,
        actor=users[Role.REVIEWER],
        decision="inquire",
        reason="",
        question="?",
        due_date=timezone.localdate(),
    )
    stranger = user_with_role(Role.AGGREGATOR_STAFF, other_company)
    with pytest.raises(PermissionDenied):
        services.answer_inquiry(inquiry=flag.inquiries.get(), actor=stranger, answer="x")


def test_determination_needs_every_flag_decided_and_a_review_lead(review, users):
    lead = users[Role.REVIEW_LEAD]
    with pytest.raises(ValidationError):
        services.determine_review(review=review, actor=lead, determination="accepted", reason="可")
    decide_all(review, users[Role.REVIEWER])
    with pytest.raises(PermissionDenied):
        services.determine_review(
            review=review, actor=users[Role.REVIEWER], determination="accepted", reason="可"
        )
    with pytest.raises(ValidationError):
        services.determine_review(review=review, actor=lead, determination="accepted", reason="")
    services.determine_review(
        review=review, actor=lead, determination="change_order_considered", reason="SYS-1 未実施"
    )
    review.refresh_from_db()
    assert review.status == Review.Status.DECIDED
    with pytest.raises(ValidationError):
        services.assign_review(review=review, assignee=lead, actor=lead)


def test_only_regulator_reviewers_can_be_assigned(review, users):
    with pytest.raises(ValidationError):
        services.assign_review(
            review=review, assignee=users[Role.AGGREGATOR_STAFF], actor=users[Role.REVIEW_LEAD]
        )
    services.assign_review(
        review=review, assignee=users[Role.REVIEWER], actor=users[Role.REVIEW_LEAD]
    )
    review.refresh_from_db()
    assert (review.assignee, review.status) == (users[Role.REVIEWER], "under_review")


def test_incident_with_supply_impact_becomes_an_improvement_order_candidate(
    review, users, catalogue
):
    incident = services.report_incident(
        actor=users[Role.AGGREGATOR_STAFF],
        fields={
            "occurred_at": timezone.now(),
            "summary": "制御サーバ停止",
            "affected_systems": "制御サーバ",
            "supply_impact": "disrupted",
        },
        related_items=list(catalogue.items.filter(code__in=["SYS-1", "ORG-1"])),
    )
    flags = {(flag.rule, flag.item_code) for flag in incident.flags.all()}
    assert flags == {("incident_supply_impact", ""), ("incident_item_insufficient", "SYS-1")}
    assert all(flag.kind == Flag.Kind.IMPROVEMENT_ORDER for flag in incident.flags.all())
    flag = incident.flags.get(rule="incident_supply_impact")
    services.decide_flag(
        flag=flag, actor=users[Role.REVIEWER], decision="confirm", reason="供給支障"
    )
    flag.refresh_from_db()
    assert flag.decision == "confirm"
