from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, Role
from reviews import services
from reviews.models import Flag, Review
from tests.factories import incident_fields, make_review, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalogue, users):
    return make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})


def decide_all(review, actor):
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(flag=flag, actor=actor, decision="uphold", reason="確認")


def test_submission_opens_a_review_with_flags_from_the_snapshot(review):
    assert review.status == Review.Status.RECEIVED
    assert review.accepted_on == timezone.localdate(review.received_at)
    assert review.deadline - review.accepted_on == timedelta(days=30)
    kinds = {(flag.kind, flag.item_code) for flag in review.flags.all()}
    assert ("change_order", "SYS-1") in kinds
    assert review.open_candidates == 1
    assert ("inquiry_candidate", "ORG-1") in kinds  # implemented, no evidence attached


def test_submission_notifies_the_filer_and_the_reviewers(
    catalogue, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_review(users[Role.AGGREGATOR_OFFICER])
    (message,) = mail.outbox
    assert "受け付けました" in message.subject
    assert users[Role.REVIEWER].email in message.to
    assert users[Role.AGGREGATOR_STAFF].email in message.to


def test_upholding_a_candidate_closes_it_and_moves_the_review_on(review, users):
    flag = review.flags.get(kind="change_order")
    services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    review.refresh_from_db()
    assert (review.status, review.open_candidates) == ("under_review", 0)
    assert AuditEvent.objects.filter(action="flag.uphold").exists()


def test_deciding_a_flag_twice_is_refused(review, users):
    flag = review.flags.get(kind="change_order")
    services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    with pytest.raises(ValidationError, match="既に"):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="x")
    flag.refresh_from_db()
    assert flag.decision == "uphold"


def test_dismissing_without_a_reason_is_refused(review, users):
    flag = review.flags.get(kind="change_order")
    with pytest.raises(ValidationError):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason=" ")
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
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    answered = services.answer_inquiry(
        inquiry=inquiry, actor=users[Role.AGGREGATOR_STAFF], answer="3月に完了"
    )
    assert answered.is_late
    review.refresh_from_db()
    assert review.status == Review.Status.UNDER_REVIEW
    services.decide_flag(
        flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="回答で解消"
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
        services.determine_review(review=review, actor=lead, determination="no_order", reason="可")
    decide_all(review, users[Role.REVIEWER])
    with pytest.raises(PermissionDenied):
        services.determine_review(
            review=review, actor=users[Role.REVIEWER], determination="no_order", reason="可"
        )
    with pytest.raises(ValidationError):
        services.determine_review(review=review, actor=lead, determination="no_order", reason="")
    services.determine_review(
        review=review, actor=lead, determination="order_procedure", reason="SYS-1 未実施"
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
    incident = services.file_incident_report(
        actor=users[Role.AGGREGATOR_STAFF],
        fields={
            "occurred_at": timezone.now(),
            "detected_at": timezone.now(),
            "summary": "制御サーバ停止",
            "affected_systems": "制御サーバ",
            "supply_impact": "disrupted",
        },
        related_items=list(catalogue.items.filter(code__in=["SYS-1", "ORG-1"])),
    )
    (flag,) = incident.flags.all()
    assert (flag.kind, flag.rule) == (Flag.Kind.IMPROVEMENT_ORDER, "incident_supply_impact")
    services.decide_flag(
        flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="供給支障"
    )
    flag.refresh_from_db()
    assert flag.decision == "uphold"


def test_recording_the_acceptance_date_moves_the_30_day_period(review, users):
    accepted = timezone.localdate()
    services.record_acceptance(review=review, accepted_on=accepted, actor=users[Role.REVIEWER])
    review.refresh_from_db()
    assert review.deadline == accepted + timedelta(days=30)
    assert review.earliest_start == accepted + timedelta(days=31)
    assert AuditEvent.objects.filter(action="review.record_acceptance").exists()


@pytest.mark.parametrize("days", [-1, 1])
def test_acceptance_date_before_receipt_or_in_the_future_is_refused(review, users, days):
    day = timezone.localdate(review.received_at) + timedelta(days=days)
    with pytest.raises(ValidationError):
        services.record_acceptance(review=review, accepted_on=day, actor=users[Role.REVIEWER])


def test_no_order_despite_an_upheld_candidate_needs_a_reason_against_it(review, users):
    lead = users[Role.REVIEW_LEAD]
    decide_all(review, users[Role.REVIEWER])
    with pytest.raises(ValidationError, match="SYS-1"):
        services.determine_review(
            review=review, actor=lead, determination="no_order", reason="軽微"
        )
    flag = review.flags.get(kind="change_order")
    services.determine_review(
        review=review,
        actor=lead,
        determination="no_order",
        reason="軽微",
        no_order_reasons={flag.pk: "事業開始前に是正済みと確認した"},
    )
    flag.refresh_from_db()
    assert flag.no_order_reason == "事業開始前に是正済みと確認した"


def test_order_procedure_needs_no_reason_per_candidate(review, users):
    decide_all(review, users[Role.REVIEWER])
    services.determine_review(
        review=review,
        actor=users[Role.REVIEW_LEAD],
        determination="order_procedure",
        reason="SYS-1 未実施",
    )
    assert not review.flags.exclude(no_order_reason="").exists()


def test_incident_determination_follows_its_flag_decisions(catalogue, users):
    incident = services.file_incident_report(
        actor=users[Role.AGGREGATOR_STAFF], fields=incident_fields(), related_items=[]
    )
    lead = users[Role.REVIEW_LEAD]
    with pytest.raises(ValidationError):
        services.determine_incident(
            incident=incident, actor=lead, determination="order_procedure", reason="支障"
        )
    for flag in incident.flags.all():
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="uphold", reason="")
    with pytest.raises(PermissionDenied):
        services.determine_incident(
            incident=incident, actor=users[Role.REVIEWER], determination="no_order", reason="x"
        )
    services.determine_incident(
        incident=incident, actor=lead, determination="order_procedure", reason="対策不備による支障"
    )
    incident.refresh_from_db()
    assert incident.get_determination_display() == "業務改善命令の手続へ移行"
    assert AuditEvent.objects.filter(action="incident.determine").exists()


def test_order_procedure_without_an_upheld_candidate_is_refused(review, users):
    for flag in review.flags.exclude(kind="reference"):
        services.decide_flag(flag=flag, actor=users[Role.REVIEWER], decision="withdraw", reason="x")
    with pytest.raises(ValidationError, match="命令の手続へ移行する根拠がありません"):
        services.determine_review(
            review=review,
            actor=users[Role.REVIEW_LEAD],
            determination="order_procedure",
            reason="念のため",
        )


def test_a_later_acceptance_date_flags_a_planned_start_inside_the_period(review, users):
    assert not review.planned_start_too_early  # the factory plans the start 60 days out
    review.filing.planned_start_date = timezone.localdate() + timedelta(days=20)
    assert review.planned_start_too_early
