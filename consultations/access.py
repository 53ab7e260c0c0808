"""Fetch-and-authorise: who sees a comment period and whose opinions."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from consultations.models import CommentPeriod, Opinion


def get_period_for_user(user, pk: int) -> CommentPeriod:
    """Aggregator and regulator users read every period (the draft is public for comment)."""
    if not (user.is_aggregator_user or user.is_regulator_user):
        raise Http404
    return get_object_or_404(
        CommentPeriod.objects.select_related("catalogue__based_on", "approved_by"), pk=pk
    )


def opinions_for_user(user, period: CommentPeriod):
    """Regulators see every opinion with its submitter; an aggregator only its own company's
    (submitters are never shown to other companies)."""
    opinions = period.opinions.select_related("response").prefetch_related("items")
    if user.is_regulator_user:
        return opinions.order_by("received_on", "id")
    return opinions.filter(organisation_id=user.organisation_id).order_by("received_on", "id")


def get_opinion_ids(period: CommentPeriod, ids: list[int]) -> list[Opinion]:
    return list(period.opinions.filter(pk__in=ids))
