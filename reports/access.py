"""Who may have which report of a filing (fetch-and-authorise in one place)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from filings.access import get_filing_for_user
from reports.models import Report


def report_kinds_for(user, filing) -> list[str]:
    """Filers: the filing report of their own filing and, once determined, the determination
    notice; regulators also the internal review record; admins also the evidence package."""
    if filing.is_draft:
        return []
    has_review = hasattr(filing, "review")
    decided = has_review and filing.review.is_decided
    notice = [Report.Kind.DETERMINATION_NOTICE] if decided else []
    # 期間短縮通知 / 期間延長通知書: for the filer and the regulator once one was issued.
    notice += [
        Report.Kind.PERIOD_SHORTENING_NOTICE
        if kind == "shortening"
        else Report.Kind.PERIOD_EXTENSION_NOTICE
        for kind in (
            filing.review.period_notices.values_list("kind", flat=True).distinct()
            if has_review
            else []
        )
    ]
    if user.is_aggregator_user:
        return [Report.Kind.FILING_REPORT, *notice]
    record = [Report.Kind.REVIEW_RECORD] if has_review else []
    package = [Report.Kind.EVIDENCE_PACKAGE] if user.is_staff else []
    return [Report.Kind.FILING_REPORT, *record, *notice, *package]


def get_report_for_user(user, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("filing__submission"), pk=pk)
    filing = get_filing_for_user(user, report.filing_id)
    if report.kind not in report_kinds_for(user, filing):
        raise Http404
    # A notice is the determination as recorded, never a copy made while the review was open.
    if report.kind == Report.Kind.DETERMINATION_NOTICE:
        determined_at = filing.review.determined_at
        assert determined_at is not None  # the notice is offered for decided reviews only
        if report.requested_at < determined_at:
            raise Http404
    return report
