"""The signed notices of the statute's clock, and the citations in every review document, read
with ``pdftotext``: each citation stands next to its verification state, and a flag prints the
basis version it cited after a new version is published."""

import subprocess
from datetime import date

import pytest
import yaml
from django.utils import timezone

from accounts.models import Role
from legal.models import current_basis
from legal.services import import_basis_set
from reports import services as report_services
from reports.models import Report
from reviews import services
from reviews.models import Review
from tests.factories import make_review
from tests.legal.test_interchange import FIXTURE

pytestmark = pytest.mark.django_db
STATUTE = "法令本文で確認（電気事業法2025年6月6日施行時点）"  # as pdftotext reads it, no spaces


def pdftotext(report: Report) -> str:
    with report.file.open("rb") as handle:
        data = handle.read()
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return "".join(done.stdout.decode("utf-8").split())  # wrapped lines read as one, no spaces


@pytest.fixture
def review(catalogue, users, monkeypatch):
    review = make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-1": "partial"})
    accepted = date(2027, 1, 10)
    Review.objects.filter(pk=review.pk).update(
        accepted_on=accepted, deadline=Review.deadline_for(accepted)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 1, 20))
    review.refresh_from_db()
    return review


def test_the_extension_notice_states_the_new_period_the_reason_and_verified_citations(
    review, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_order_window(
            review=review,
            by=users[Role.REVIEW_LEAD],
            new_end=date(2027, 3, 11),
            reason="事業者の制御方式の確認に相当の期間を要するため",
        )
    report = Report.objects.get(kind="period_extension_notice")
    assert report.status == Report.Status.READY, report.error
    text = pdftotext(report)
    assert "期間延長通知書" in text and review.filing.receipt_number in text
    assert "2027年3月11日まで" in text and "2027年3月12日から" in text
    assert "事業者の制御方式の確認に相当の期間を要するため" in text
    for paragraph in ("第6項", "第3項", "第5項"):
        citation = f"電気事業法第27条の30{paragraph}"
        assert f"{citation}{STATUTE}" in text, citation


def test_the_shortening_notice_says_the_order_window_does_not_move(
    review, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.shorten_waiting_period(
            review=review, by=users[Role.REVIEW_LEAD], new_end=date(2027, 1, 31), reason="支障なし"
        )
    text = pdftotext(Report.objects.get(kind="period_shortening_notice"))
    assert "期間短縮通知" in text and "2027年2月1日から" in text
    assert "2027年2月9日まで" in text and "期間の短縮はこの期限を変更しません" in text
    assert f"電気事業法第27条の30第4項{STATUTE}" in text


def test_review_documents_print_each_citation_with_its_verification_state(
    review, users, django_capture_on_commit_callbacks
):
    lead = users[Role.REVIEW_LEAD]
    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.request_report(
            filing=review.filing, kind="review_record", actor=lead
        )
    report.refresh_from_db()
    text = pdftotext(report)
    assert f"電気事業法第27条の30第3項{STATUTE}" in text
    assert f"電気事業法第27条の30第5項{STATUTE}" in text
    criterion = current_basis("criterion-change-order")
    squashed = "".join(criterion.citation.split())
    assert f"{squashed}基準資料（基準資料の本文）" in text
    assert "二次資料（出典未確認）" in text  # the evidence inquiry's 指針 stays unverified
    assert "根拠の版2026.1" in text


def test_a_flag_raised_under_version_1_prints_version_1_after_version_2_is_published(
    review, users, django_capture_on_commit_callbacks
):
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    document["version"] = "2027.1"
    for basis in document["bases"]:
        if basis["code"] == "criterion-change-order":
            basis["text"] = "第2版で書き直した根拠の本文。"
    import_basis_set(data=document, actor=None, publish=True)
    assert current_basis("criterion-change-order").text == "第2版で書き直した根拠の本文。"
    flag = review.flags.get(kind="change_order", item_code="SYS-1")
    assert flag.basis.basis_set.version == "2026.1"
    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.request_report(
            filing=review.filing, kind="review_record", actor=users[Role.REVIEW_LEAD]
        )
    report.refresh_from_db()
    text = pdftotext(report)
    first = "".join(flag.basis.text.split())
    assert first[:60] in text and "第2版で書き直した" not in text
    assert "根拠の版2026.1" in text and "根拠の版2027.1" not in text
    # a flag raised now cites version 2
    later = make_review(users[Role.AGGREGATOR_OFFICER], **{"SYS-2": "partial"})
    cited = later.flags.get(item_code="SYS-2", kind="change_order").basis
    assert cited.basis_set.version == "2027.1"
