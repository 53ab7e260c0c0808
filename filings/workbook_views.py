"""The Excel round trip of a draft's checklist: download, fill in offline, upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.http import aggregator_required, client_ip
from filings import services
from filings.access import get_filing_for_user
from filings.forms import WorkbookUploadForm
from filings.workbook import ReadResult, RowError, checklist_workbook, read_checklist_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@login_required
@aggregator_required
def workbook_download(request, pk):
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    response = HttpResponse(checklist_workbook(filing), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="checklist-{filing.pk}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@aggregator_required
def workbook_upload(request, pk):
    """All rows valid and no conflict: every change is saved; otherwise nothing, and each problem
    is listed by row and column."""
    filing = get_filing_for_user(request.user, pk, for_edit=True)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if form.is_valid():
        read = read_checklist_workbook(filing, form.cleaned_data["file"].read())
        errors = read.errors or _import(request, filing, read)
        if not errors:
            count = len(read.edits)
            message = ngettext(
                "%(count)d item was saved from the workbook.",
                "%(count)d items were saved from the workbook.",
                count,
            )
            messages.success(request, message % {"count": count})
            return redirect("filings:filing_checklist", filing.pk)
    context = {"filing": filing, "form": form, "errors": errors}
    status = 400 if form.is_bound else 200
    return render(request, "filings/filing_workbook.html", context, status=status)


def _import(request, filing, read: ReadResult) -> list[RowError]:
    """Save the workbook's edits; the items colleagues changed since the download, as errors."""
    result = services.import_answers(
        filing=filing, actor=request.user, edits=read.edits, ip_address=client_ip(request)
    )
    message = _("A colleague saved this item after your download.")
    return [RowError(0, read.codes[item_id], message) for item_id in result.conflicts]
