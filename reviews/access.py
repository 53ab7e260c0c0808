"""Fetch-and-authorise for reviews, flags, inquiries and incidents."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from filings.access import get_filing_for_user
from reviews.models import Flag, IncidentReport, Inquiry, Report, Review


def get_review_for_user(user, pk: int) -> Review:
    """Regulator views are guarded by role; this loads what the review page needs."""
    queryset = Review.objects.select_related(
        "filing__organisation", "filing__submission", "filing__catalogue", "assignee"
    )
    return get_object_or_404(queryset, pk=pk)


def get_flag_for_user(user, pk: int) -> Flag:
    return get_object_or_404(Flag.objects.select_related("review", "incident"), pk=pk)


def get_inquiry_for_user(user, pk: int) -> Inquiry:
    """Filers see inquiries about their own company only; regulators see all."""
    queryset = Inquiry.objects.select_related(
        "flag__review__filing__organisation", "flag__incident__organisation", "sent_by"
    )
    inquiry = get_object_or_404(queryset, pk=pk)
    if user.is_aggregator_user:
        flag = inquiry.flag
        owner = flag.review.filing.organisation_id if flag.review else flag.incident.organisation_id
        if owner != user.organisation_id:
            raise Http404
    return inquiry


def get_incident_for_user(user, pk: int) -> IncidentReport:
    queryset = IncidentReport.objects.select_related("organisation", "reported_by")
    if user.is_aggregator_user:
        queryset = queryset.filter(organisation_id=user.organisation_id)
    return get_object_or_404(queryset, pk=pk)


def report_kinds_for(user, filing) -> list[str]:
    """Filers: the filing report of their own filing and, once determined, the determination
    notice; regulators also the internal review record; admins also the evidence package."""
    if filing.is_draft:
        return []
    has_review = hasattr(filing, "review")
    decided = has_review and filing.review.is_decided
    notice = [Report.Kind.DETERMINATION_NOTICE] if decided else []
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
    if (
        report.kind == Report.Kind.DETERMINATION_NOTICE
        and report.requested_at < filing.review.determined_at
    ):
        raise Http404
    return report
