"""Every signed report prints the audit log's chain head at the time it was made (print/base.html):
an anchor for the log outside the database (manage.py verify_audit_log --anchor ID:HASH)."""

import pytest

from accounts.models import AuditAction, AuditEvent, Role
from reports import services as report_services
from tests.reports.test_services import build, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalogue, officer):
    from tests.factories import make_review

    return make_review(officer, **{"SYS-1": "partial"})


@pytest.mark.parametrize("kind", ["filing_report", "review_record"])
def test_a_signed_report_prints_the_current_head_of_the_audit_chain(
    review, users, kind, django_capture_on_commit_callbacks
):
    lead = users[Role.REVIEW_LEAD]
    report = build(review.filing, kind, lead, django_capture_on_commit_callbacks)
    head = AuditEvent.objects.head()
    assert head is not None and head.action == AuditAction.REPORT_REQUEST
    text = pdf_text(report.file.read()).replace("\n", "")
    assert "監査ログのハッシュ連鎖の先頭" in text
    assert f"イベント番号 {head.pk}" in text
    assert head.hash in text


def test_a_new_audit_event_does_not_make_a_stored_review_record_stale(
    review, users, django_capture_on_commit_callbacks
):
    # The head is printed, not part of the document's digest: else every request would re-render.
    lead = users[Role.REVIEW_LEAD]
    first = build(review.filing, "review_record", lead, django_capture_on_commit_callbacks)
    AuditEvent.objects.record(actor=lead, action=AuditAction.REPORT_VERIFY, summary="別の操作")
    again = report_services.request_report(filing=review.filing, kind="review_record", actor=lead)
    assert again.pk == first.pk
