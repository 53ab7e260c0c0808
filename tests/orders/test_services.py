from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from orders import services
from orders.models import DocumentSequence, Notice, OrderCase
from tests.orders import steps


def test_the_lead_s_order_procedure_determination_opens_a_case(case, officer):
    assert case.kind == OrderCase.Kind.CHANGE_ORDER
    assert case.organisation == officer.organisation
    assert case.catalogue_version == "2026.1"
    assert AuditEvent.objects.filter(action="order.open").exists()


def test_a_notice_gets_a_number_and_the_frozen_content_when_the_lead_issues_it(
    case, reviewer, lead
):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    today = steps.today()
    assert notice.document_number == f"{today:%Y%m%d}資第1号"
    assert notice.delivery == Notice.Delivery.PAPER  # no consent on record
    assert notice.content["title"] == "弁明の機会の付与通知書"
    assert notice.content["issued_on"]["wareki"].startswith("令和")
    assert notice.content["facts"][0]["item"].startswith("ORG-1")
    assert notice.content["addressee"]["representative"] == "代表取締役 山田 太郎"


def test_a_reviewer_cannot_issue_a_notice_and_nothing_is_recorded(case, reviewer):
    steps.choose(case, reviewer)
    notice = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="procedure_notice",
        fields={"disposition": "変更を命ずる。", "due_on": steps.today(), "place": "庁舎"},
    )
    with pytest.raises(PermissionDenied):
        services.issue_notice(notice=notice, actor=reviewer)
    notice.refresh_from_db()
    assert notice.status == "draft" and notice.document_number == ""
    assert not DocumentSequence.objects.exists()


def test_a_notice_is_numbered_once_and_a_second_issue_is_refused(case, reviewer, lead):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    with pytest.raises(ValidationError, match=notice.document_number):
        services.issue_notice(notice=notice, actor=lead)
    assert DocumentSequence.objects.get().last_number == 1


def test_numbers_run_on_through_the_year_across_cases(case, reviewer, lead, officer):
    from tests.factories import make_order_case

    first = steps.issue_procedure_notice(case, reviewer, lead)
    other = make_order_case(officer, reviewer, lead)
    second = steps.issue_procedure_notice(other, reviewer, lead)
    assert (first.sequence_number, second.sequence_number) == (1, 2)


def test_the_order_is_refused_before_the_commission_s_opinion(case, reviewer, lead, officer):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    order = steps.draft_order(case, reviewer)
    with pytest.raises(ValidationError, match="委員会の意見を記録する前"):
        services.issue_notice(notice=order, actor=lead)
    order.refresh_from_db()
    assert not order.is_issued


def test_the_order_is_refused_outside_the_order_window(case, reviewer, lead, officer):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    steps.record_opinion(case, reviewer)
    order = steps.draft_order(case, reviewer)
    review = case.review
    review.deadline = steps.today() - timedelta(days=1)  # the window closed yesterday
    review.save(update_fields=["deadline"])
    with pytest.raises(ValidationError, match="命令期限（"):
        services.issue_notice(notice=Notice.objects.get(pk=order.pk), actor=lead)
    assert not Notice.objects.get(pk=order.pk).is_issued


def test_an_explanation_after_its_deadline_is_refused(case, reviewer, lead, officer):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    Notice.objects.filter(pk=notice.pk).update(due_on=steps.today() - timedelta(days=1))
    with pytest.raises(ValidationError, match="提出期限"):
        steps.explained(case, officer)
    assert not hasattr(OrderCase.objects.get(pk=case.pk), "explanation")


def test_only_an_officer_submits_the_explanation(case, reviewer, lead, staff):
    steps.issue_procedure_notice(case, reviewer, lead)
    with pytest.raises(PermissionDenied):
        steps.explained(case, staff)


def test_the_change_order_path_ends_with_compliance(case, reviewer, lead, officer):
    steps.issue_procedure_notice(case, reviewer, lead)
    steps.explained(case, officer)
    steps.record_opinion(case, reviewer)
    order = services.issue_notice(notice=steps.draft_order(case, reviewer), actor=lead)
    assert order.document_number.endswith("資第2号")
    assert order.content["instruction"]["review_to"] == "経済産業大臣"
    with pytest.raises(ValidationError):
        services.record_compliance(case=case, actor=lead)  # not delivered yet
    services.record_delivery(notice=order, actor=reviewer, delivered_on=steps.today())
    (follow_up,) = case.follow_ups.all()
    assert follow_up.kind == "change_notification"
    from filings.services import start_change_notification, submit_filing
    from tests.factories import answer_all

    change = answer_all(start_change_notification(filing=case.review.filing, actor=officer))
    submit_filing(filing=change, actor=officer)
    services.submit_follow_up(follow_up=follow_up, actor=officer, text="", filing=change)
    services.decide_follow_up(follow_up=follow_up, actor=reviewer, accept=True, comment="")
    services.record_compliance(case=case, actor=lead)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "complied")


def test_closing_without_an_order_sends_a_closing_notice_and_closes(case, reviewer, lead):
    steps.issue_procedure_notice(case, reviewer, lead)
    closing = services.draft_notice(
        case=case,
        actor=reviewer,
        kind="closing_notice",
        fields={"disposition": "命令を行わない。", "reasons": "弁明により是正が確認された。"},
    )
    services.issue_notice(notice=closing, actor=lead)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "no_order")


def test_electronic_delivery_only_with_the_company_s_consent(case, reviewer, lead, officer):
    services.record_consent(actor=officer, consent=True, email="notices@example.jp")
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    assert notice.delivery == Notice.Delivery.ELECTRONIC


def test_a_hearing_notice_needs_its_date_and_place(case, reviewer, lead):
    from datetime import datetime

    from django.utils import timezone

    steps.choose(case, reviewer, procedure="chomon")
    fields = {"disposition": "変更を命ずる。", "due_on": steps.today(), "place": "第1会議室"}
    notice = services.draft_notice(
        case=case, actor=reviewer, kind="procedure_notice", fields=fields
    )
    with pytest.raises(ValidationError, match="聴聞の日時と場所"):
        services.issue_notice(notice=notice, actor=lead)
    hearing = timezone.make_aware(
        datetime.combine(steps.today() + timedelta(days=14), datetime.min.time())
    )
    fields["hearing_at"] = hearing.replace(hour=10)
    notice = services.draft_notice(
        case=case, actor=reviewer, kind="procedure_notice", fields=fields
    )
    notice = services.issue_notice(notice=notice, actor=lead)
    assert notice.content["title"] == "聴聞通知書"
    assert notice.content["hearing_at"] == "10時00分"
