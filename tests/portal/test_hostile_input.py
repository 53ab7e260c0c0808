"""Hostile input to every form: a clear error, never a server error, and nothing written.

Each case posts what an attacker (or a broken client) would send: out-of-range integers, NUL
characters, 100,000-character text, impossible dates, forged choices, duplicated fields, a JSON
body, ids of rows that are not the user's (or that no database could hold)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Role
from filings.models import Answer, Evidence, Filing, LowerAggregator, Submission
from reviews.models import Flag, IncidentReport, Inquiry, Review
from reviews.services import decide_flag
from tests.factories import (
    make_filing,
    make_review,
    user_with_role,
)

HUGE = "99999999999999999999"  # 20 digits: more than any integer column holds
LONG = "長" * 100_000
TODAY = timezone.localdate()


@pytest.fixture
def world(catalogue, company, other_company):
    staff = user_with_role(Role.AGGREGATOR_STAFF, company)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    reviewer = user_with_role(Role.REVIEWER)
    lead = user_with_role(Role.REVIEW_LEAD, reviewer.organisation)
    draft = make_filing(staff)
    foreign = make_filing(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    review = make_review(officer, **{"ORG-1": "not_implemented", "SYS-1": "not_implemented"})
    flag = review.flags.filter(kind="change_order").first()
    asked = review.flags.filter(kind="change_order").last()
    decide_flag(
        flag=asked,
        actor=reviewer,
        decision="inquire",
        reason="",
        question="説明してください。",
        due_date=TODAY + timedelta(days=7),
    )
    return {
        "staff": staff,
        "officer": officer,
        "reviewer": reviewer,
        "lead": lead,
        "draft": draft,
        "foreign_answer": foreign.answers.first(),
        "review": review,
        "flag": flag,
        "inquiry": asked.inquiries.get(),
    }


def answer_url(w, code="ORG-1"):
    answer = w["draft"].answers.get(item__code=code)
    return reverse("filings:answer_save", args=[w["draft"].pk, answer.item_id])


def answer_data(w, code="ORG-1", **values):
    answer = w["draft"].answers.get(item__code=code)
    prefix = f"item-{answer.item_id}"
    data = {
        "status": "implemented",
        "implementation": "実施した。",
        "justification": "",
        "target_date": "",
        "version": answer.version,
        "digest": answer.content_digest(),
        **values,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()}


def header_data(w, **values):
    draft = w["draft"]
    data = {
        "chain_role": "both",
        "importance_class": "standard",
        "expected_capacity_kw": "5000",
        "planned_start_date": (TODAY + timedelta(days=90)).isoformat(),
        "contact_name": "担当 太郎",
        "contact_email": "tanto@example.jp",
        "contact_phone": "03-0000-0000",
        "uses_lower_aggregators": "False",
        "version": draft.version,
        **values,
    }
    return data


def lower_data(w, **values):
    return {
        "uses_lower_aggregators": "True",
        "version": w["draft"].version,
        "lower-TOTAL_FORMS": "1",
        "lower-INITIAL_FORMS": "0",
        "lower-0-name": "下位株式会社",
        "lower-0-corporate_number": "7000012050002",
        **values,
    }


def decide_data(w, **values):
    prefix = f"flag-{w['flag'].pk}"
    data = {"decision": "uphold", "reason": "", "question": "", "due_date": "", **values}
    return {f"{prefix}-{name}": value for name, value in data.items()}


def incident_data(**values):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {
        "occurred_at": now,
        "detected_at": now,
        "location": "own",
        "summary": "制御サーバ停止",
        "affected_systems": "制御サーバ",
        "supply_impact": "at_risk",
        **values,
    }


# (case, user, url, body, expected status). A body that is a dict is posted as a form; a str
# as JSON. Every case must leave the database as it was.
CASES = [
    ("answer: forged status", "staff", answer_url, lambda w: answer_data(w, status="hacked"), 400),
    ("answer: 100k characters", "staff", answer_url, lambda w: answer_data(w, implementation=LONG), 400),
    ("answer: NUL character", "staff", answer_url, lambda w: answer_data(w, implementation="a\x00b"), 400),
    ("answer: 30 February", "staff", answer_url, lambda w: answer_data(w, status="partial", target_date="2027-02-30"), 400),
    ("answer: year 99999", "staff", answer_url, lambda w: answer_data(w, status="partial", target_date="99999-01-01"), 400),
    ("answer: version not a number", "staff", answer_url, lambda w: answer_data(w, version="abc"), 400),
    ("answer: version of 20 digits", "staff", answer_url, lambda w: answer_data(w, version=HUGE), 400),
    ("answer: JSON body", "staff", answer_url, '{"status": "implemented"}', 400),
    ("answer: duplicated status", "staff", answer_url, lambda w: {**answer_data(w), f"item-{w['draft'].answers.get(item__code='ORG-1').item_id}-status": ["implemented", "hacked"]}, 400),
    ("answer: another company's item", "staff", lambda w: reverse("filings:answer_save", args=[w["draft"].pk, w["foreign_answer"].item_id]) if not w["draft"].answers.filter(item_id=w["foreign_answer"].item_id).exists() else reverse("filings:answer_save", args=[w["foreign_answer"].filing_id, w["foreign_answer"].item_id]), lambda w: {}, 404),
    ("answer: item id of 20 digits", "staff", lambda w: f"/filings/{w['draft'].pk}/answers/{HUGE}/", lambda w: {}, 404),
    ("header: negative capacity", "staff", lambda w: reverse("filings:filing_header", args=[w["draft"].pk]), lambda w: header_data(w, expected_capacity_kw="-5"), 400),
    ("header: capacity of 20 digits", "staff", lambda w: reverse("filings:filing_header", args=[w["draft"].pk]), lambda w: header_data(w, expected_capacity_kw=HUGE), 400),
    ("header: date 0000-00-00", "staff", lambda w: reverse("filings:filing_header", args=[w["draft"].pk]), lambda w: header_data(w, planned_start_date="0000-00-00"), 400),
    ("header: forged chain role", "staff", lambda w: reverse("filings:filing_header", args=[w["draft"].pk]), lambda w: header_data(w, chain_role="everything"), 400),
    ("header: NUL in the contact", "staff", lambda w: reverse("filings:filing_header", args=[w["draft"].pk]), lambda w: header_data(w, contact_name="担当\x00"), 400),
    ("new filing: capacity 1e9", "staff", lambda w: reverse("filings:filing_create"), lambda w: {"expected_capacity_kw": "1e9", "chain_role": "both"}, 400),
    ("evidence: answer id of 20 digits", "staff", lambda w: reverse("filings:evidence_list", args=[w["draft"].pk]), lambda w: {"kind": "item", "answers": [HUGE]}, 400),
    ("evidence: another company's answer", "staff", lambda w: reverse("filings:evidence_list", args=[w["draft"].pk]), lambda w: {"kind": "item", "answers": [str(w["foreign_answer"].pk)]}, 400),
    ("evidence: forged kind", "staff", lambda w: reverse("filings:evidence_list", args=[w["draft"].pk]), lambda w: {"kind": "malware"}, 400),
    ("lower: a million forms", "staff", lambda w: reverse("filings:filing_lower", args=[w["draft"].pk]), lambda w: lower_data(w, **{"lower-TOTAL_FORMS": "1000000"}), 400),
    ("lower: no management form", "staff", lambda w: reverse("filings:filing_lower", args=[w["draft"].pk]), lambda w: {"uses_lower_aggregators": "True", "version": w["draft"].version}, 400),
    ("lower: bad check digit", "staff", lambda w: reverse("filings:filing_lower", args=[w["draft"].pk]), lambda w: lower_data(w, **{"lower-0-corporate_number": "1234567890123"}), 400),
    ("decision: forged choice", "reviewer", lambda w: reverse("reviews:flag_decide", args=[w["flag"].pk]), lambda w: decide_data(w, decision="erase"), 400),
    ("decision: 13th month", "reviewer", lambda w: reverse("reviews:flag_decide", args=[w["flag"].pk]), lambda w: decide_data(w, decision="inquire", question="?", due_date="2027-13-01"), 400),
    ("decision: 100k-character reason", "reviewer", lambda w: reverse("reviews:flag_decide", args=[w["flag"].pk]), lambda w: decide_data(w, decision="withdraw", reason=LONG), 400),
    ("decision: JSON body", "reviewer", lambda w: reverse("reviews:flag_decide", args=[w["flag"].pk]), '{"decision": "uphold"}', 400),
    ("determination: forged choice", "lead", lambda w: reverse("reviews:review_determine", args=[w["review"].pk]), lambda w: {"determination": "pardon", "reason": "理由"}, 400),
    ("assignment: id of 20 digits", "reviewer", lambda w: reverse("reviews:review_assign", args=[w["review"].pk]), lambda w: {"assignee": HUGE}, 302),
    ("assignment: an aggregator as assignee", "reviewer", lambda w: reverse("reviews:review_assign", args=[w["review"].pk]), lambda w: {"assignee": str(w["staff"].pk)}, 302),
    ("incident: item id of 20 digits", "officer", lambda w: reverse("reviews:incident_create"), lambda w: incident_data(related_items=[HUGE]), 400),
    ("incident: negative capacity", "officer", lambda w: reverse("reviews:incident_create"), lambda w: incident_data(capacity_affected_kw="-1"), 400),
    ("incident: impossible time", "officer", lambda w: reverse("reviews:incident_create"), lambda w: incident_data(occurred_at="2026-11-31T25:61"), 400),
    ("inquiry answer: 100k characters", "officer", lambda w: reverse("reviews:inquiry_detail", args=[w["inquiry"].pk]), lambda w: {"answer": LONG}, 400),
    ("inquiry answer: NUL only", "officer", lambda w: reverse("reviews:inquiry_detail", args=[w["inquiry"].pk]), lambda w: {"answer": "\x00"}, 400),
]  # fmt: skip


def state() -> dict:
    """What any of the forms could write."""
    return {
        "audit": AuditEvent.objects.count(),
        "answers": list(Answer.objects.order_by("pk").values_list("status", "implementation", "version")),
        "filings": list(Filing.objects.order_by("pk").values_list("version", "expected_capacity_kw", "status")),
        "submissions": Submission.objects.count(),
        "evidence": Evidence.objects.count(),
        "lower": LowerAggregator.objects.count(),
        "flags": list(Flag.objects.order_by("pk").values_list("decision", "decision_reason")),
        "inquiries": list(Inquiry.objects.order_by("pk").values_list("answer", flat=True)),
        "incidents": IncidentReport.objects.count(),
        "reviews": list(Review.objects.order_by("pk").values_list("assignee_id", "status", "determination")),
    }  # fmt: skip


def test_there_are_at_least_25_hostile_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize(
    ("case", "who", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_input_gets_a_clear_error_and_writes_nothing(world, case, who, url, body, expected):
    client = Client(raise_request_exception=False)
    client.force_login(world[who])
    before = state()
    target = url(world)
    if isinstance(body, str):
        response = client.post(target, body, content_type="application/json")
    else:
        response = client.post(target, body(world))
    assert response.status_code == expected, (case, response.status_code)
    assert state() == before, case
    if expected == 400:
        content = response.content.decode()
        assert "invalid-feedback" in content or "alert-danger" in content, case
    if expected == 302:  # a redirect back with the reason in a message
        page = client.get(response["Location"]).content.decode()
        assert "alert-danger" in page or "alert-error" in page, case
