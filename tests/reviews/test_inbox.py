"""The home page's task lists and the navbar's count, per role."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reviews.inbox import task_count, tasks_for
from reviews.models import Review
from reviews.services import answer_inquiry, assign_review, decide_flag
from tests.factories import make_filing, make_review


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(review, reviewer, days=3):
    flag = review.flags.awaiting_decision().first()
    due = timezone.localdate() + timedelta(days=days)
    decide_flag(
        flag=flag, actor=reviewer, decision="inquire", reason="", question="説明を", due_date=due
    )
    return flag.inquiries.get()


def test_a_filer_sees_the_inquiry_awaiting_an_answer_and_the_draft_with_progress(
    catalogue, users, officer
):
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    inquiry = ask(review, users[Role.REVIEWER])
    make_filing(users[Role.AGGREGATOR_STAFF])
    staff = users[Role.AGGREGATOR_STAFF]
    assert task_count(staff) == 1
    content = client_for(staff).get(reverse("home")).content.decode()
    assert "回答待ちの照会" in content
    assert inquiry.get_absolute_url() in content
    assert "0/29 記入済" in content
    assert (
        '<span class="visually-hidden"> 件の対応待ち</span>' in content or "件の対応待ち" in content
    )


def test_a_reviewer_sees_assigned_reviews_and_answered_inquiries_a_lead_the_ready_ones(
    catalogue, users, officer
):
    reviewer, lead = users[Role.REVIEWER], users[Role.REVIEW_LEAD]
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    assign_review(review=review, assignee=reviewer, actor=lead)
    inquiry = ask(review, reviewer)
    assert tasks_for(reviewer).assigned == [review]
    assert task_count(reviewer) == 0
    answer_inquiry(inquiry=inquiry, actor=officer, answer="来月完了します。")
    assert tasks_for(reviewer).to_read == [inquiry]
    assert task_count(reviewer) == 1
    assert tasks_for(lead).to_determine == []
    for flag in review.flags.awaiting_decision():
        decide_flag(flag=flag, actor=reviewer, decision="uphold", reason="")
    assert tasks_for(lead).to_determine == [Review.objects.get(pk=review.pk)]
    content = client_for(lead).get(reverse("home")).content.decode()
    assert "判定できる審査" in content and review.filing.receipt_number in content


def test_reviewers_see_unassigned_submissions_and_leads_undetermined_incident_reports(
    catalogue, users, officer
):
    from reviews.services import file_incident_report
    from tests.factories import incident_fields

    reviewer, lead = users[Role.REVIEWER], users[Role.REVIEW_LEAD]
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    incident = file_incident_report(actor=officer, fields=incident_fields(), related_items=[])
    assert tasks_for(reviewer).unassigned == [review]
    assert tasks_for(lead).incidents == [incident]
    assert task_count(lead) == 1  # the incident report, though no review is ready yet
    content = client_for(lead).get(reverse("home")).content.decode()
    assert "判定待ちのセキュリティ事故報告" in content
    assert incident.get_absolute_url() in content
    assign_review(review=review, assignee=reviewer, actor=lead)
    assert tasks_for(reviewer).unassigned == []
