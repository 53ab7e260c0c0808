"""Every item of a filing on one page, answers and evidence: for the officer reading it through
before submitting, for the reviewer as filed, and for printing. One request, a fixed number of
queries at any number of items (the snapshot is built from a few set-wide queries, or read)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from filings.access import get_filing_for_user
from filings.snapshots import build_snapshot, snapshot_sections


@require_safe
@login_required
def filing_whole(request, pk):
    """A draft as it would be filed now (not yet filed: no receipt number); a submitted filing as
    it was filed, from its snapshot, whatever changed since."""
    filing = get_filing_for_user(request.user, pk)
    if filing.is_draft:
        snapshot = build_snapshot(
            filing=filing, receipt_number="", submitted_at=timezone.now(), submitted_by=request.user
        )
    else:
        snapshot = filing.submission.snapshot
    sections = snapshot_sections(snapshot)
    context = {
        "filing": filing,
        "snapshot": snapshot,
        "sections": sections,
        "total": len(snapshot["items"]),
        "answered": sum(section["answered"] for section in sections),
        "unmet": sum(section["unmet"] for section in sections),
    }
    return render(request, "filings/filing_whole.html", context)
