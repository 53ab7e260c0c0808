"""Fetch-and-authorise for cases, notices, follow-ups and attachments."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from orders.models import ExplanationFile, FollowUp, Notice, OrderCase


def get_case_for_user(user, pk: int) -> OrderCase:
    """Regulators see every case; a filer only its own company's, and only once a notice has
    been issued to it (before that the case is the regulator's internal matter)."""
    queryset = OrderCase.objects.visible_to(user).select_related(
        "organisation", "review__filing__submission", "review__filing__catalogue", "incident"
    )
    case = get_object_or_404(queryset, pk=pk)
    if user.is_aggregator_user and not case.notices.filter(status="issued").exists():
        raise Http404
    return case


def get_notice_for_user(user, pk: int) -> Notice:
    """Filers get issued notices of their own company only, never a draft."""
    notice = get_object_or_404(Notice.objects.select_related("case__organisation"), pk=pk)
    if user.is_aggregator_user and (
        notice.case.organisation_id != user.organisation_id or not notice.is_issued
    ):
        raise Http404
    if not (user.is_aggregator_user or user.is_regulator_user):
        raise Http404
    return notice


def get_follow_up_for_user(user, pk: int) -> FollowUp:
    follow_up = get_object_or_404(FollowUp.objects.select_related("case"), pk=pk)
    get_case_for_user(user, follow_up.case_id)
    return follow_up


def get_attachment_for_user(user, pk: int) -> ExplanationFile:
    row = get_object_or_404(ExplanationFile.objects.select_related("explanation"), pk=pk)
    get_case_for_user(user, row.explanation.case_id)
    return row
