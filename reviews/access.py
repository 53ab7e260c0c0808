"""Fetch-and-authorise for reviews, flags, inquiries and incidents."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from reviews.models import Flag, IncidentReport, Inquiry, Review


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
        if flag.review is not None:
            owner = flag.review.filing.organisation_id
        else:
            assert flag.incident is not None  # a flag belongs to a review or to an incident
            owner = flag.incident.organisation_id
        if owner != user.organisation_id:
            raise Http404
    return inquiry


def get_incident_for_user(user, pk: int) -> IncidentReport:
    queryset = IncidentReport.objects.select_related("organisation", "reported_by")
    if user.is_aggregator_user:
        queryset = queryset.filter(organisation_id=user.organisation_id)
    return get_object_or_404(queryset, pk=pk)
