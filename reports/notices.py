"""期間短縮通知 (電気事業法第27条の30第4項) and 期間延長通知書 (第6項: the new period and the
reason) as plain data, like the review documents: the digest of the dict decides whether a stored
PDF is current, and nothing outside it reaches the PDF (no person's name)."""

from django.utils import timezone

from legal.models import LegalBasis, current_basis
from reviews.models import PeriodNotice

TEMPLATE = "reports/print/period_notice.html"
KINDS = {
    PeriodNotice.Kind.SHORTENING: "period_shortening_notice",
    PeriodNotice.Kind.EXTENSION: "period_extension_notice",
}
TITLES = {
    PeriodNotice.Kind.SHORTENING: "期間短縮通知",
    PeriodNotice.Kind.EXTENSION: "期間延長通知書",
}


def cited(basis: LegalBasis) -> dict:
    return {
        "code": basis.code,
        "version": basis.basis_set.version,
        "citation": basis.citation,
        "verification_label": basis.verification_label,
        "is_verified": basis.is_verified,
        "text": basis.text,
    }


def period_notice_document(notice: PeriodNotice) -> dict:
    review = notice.review
    filing = review.filing
    window_end = notice.new_end if notice.kind == PeriodNotice.Kind.EXTENSION else review.deadline
    return {
        "title": TITLES[PeriodNotice.Kind(notice.kind)],
        "kind": notice.kind,
        "notice_id": notice.pk,
        "receipt_number": filing.receipt_number,
        "snapshot_sha256": filing.submission.sha256,
        "organisation": filing.organisation.name,
        "corporate_number": filing.organisation.corporate_number,
        "filing_kind": filing.get_kind_display(),
        "accepted_on": notice.accepted_on.isoformat(),
        "previous_end": notice.previous_end.isoformat(),
        "new_end": notice.new_end.isoformat(),
        "business_start_from": notice.business_start_from.isoformat(),
        "order_window_end": window_end.isoformat(),
        "reason": notice.reason,
        "issued_at": timezone.localtime(notice.issued_at).isoformat(),
        "basis": cited(notice.basis),
        "period_basis": cited(current_basis("eba-27-30-3")),
        "window_basis": cited(current_basis("eba-27-30-5")),
    }
