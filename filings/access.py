"""Fetch-and-authorise: the one place that decides who may see or change a filing."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filings.models import Evidence, Filing


def get_filing_for_user(user, pk: int, *, for_edit: bool = False) -> Filing:
    """Another company's filing, or a draft shown to a regulator, does not exist for the user."""
    filing = get_object_or_404(
        Filing.objects.visible_to(user).select_related("organisation", "catalogue", "amends"),
        pk=pk,
    )
    if for_edit:
        if not user.is_aggregator_user:
            raise PermissionDenied(_("Only the filing company can change its filing."))
        if not filing.is_draft:
            raise PermissionDenied(_("A submitted filing cannot be changed."))
    return filing


def get_evidence_for_user(user, filing_pk: int, pk: int, *, for_edit: bool = False) -> Evidence:
    filing = get_filing_for_user(user, filing_pk, for_edit=for_edit)
    try:
        return filing.evidence_files.select_related("filing").get(pk=pk)
    except Evidence.DoesNotExist as error:
        raise Http404 from error
