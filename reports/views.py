"""Signed reports: request, follow the rendering, download, verify."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.http import client_ip
from accounts.models import AuditAction
from accounts.services import record_access
from filings.access import get_filing_for_user
from filings.models import Filing, Submission
from orders.access import get_notice_for_user
from reports import services
from reports.access import get_report_for_user, report_kinds_for
from reports.forms import VerifyForm
from reports.models import Report
from reports.order_notices import notice_document
from reports.signing import verify_pdf

logger = logging.getLogger(__name__)


@require_safe
@login_required
def report_list(request, pk):
    filing = get_filing_for_user(request.user, pk)
    kinds = report_kinds_for(request.user, filing)
    latest = {}
    for report in filing.reports.filter(kind__in=kinds).order_by("requested_at"):
        latest[report.kind] = report
    rows = [(kind, Report.Kind(kind).label, latest.get(kind)) for kind in kinds]
    busy = any(report and report.is_busy for _, _, report in rows)
    return render(
        request, "reports/report_list.html", {"filing": filing, "rows": rows, "busy": busy}
    )


@require_POST
@login_required
def report_request(request, pk, kind):
    filing = get_filing_for_user(request.user, pk)
    if kind not in report_kinds_for(request.user, filing):
        raise PermissionDenied(_("You cannot request this report."))
    report = services.request_report(
        filing=filing, kind=kind, actor=request.user, ip_address=client_ip(request)
    )
    report.refresh_from_db()  # the immediate backend has rendered it once the transaction committed
    if report.status == Report.Status.READY:
        messages.success(request, _("The report is ready."))
    else:
        messages.info(request, _("The report is being prepared. This page updates by itself."))
    return redirect("reports:report_list", filing.pk)


@require_safe
@login_required
def report_status(request, pk):
    """Where a rendering stands, for the report list's script (static/js/report_status.js)."""
    report = get_report_for_user(request.user, pk)
    return JsonResponse(
        {"status": report.status, "label": str(report.get_status_display()), "busy": report.is_busy}
    )


@require_safe
@login_required
def report_download(request, pk):
    report = get_report_for_user(request.user, pk)
    if report.status != Report.Status.READY:
        return redirect("reports:report_list", report.filing_id)
    record_access(
        request=request,
        action=AuditAction.REPORT_DOWNLOAD,
        target=report,
        data={"sha256": report.sha256},
    )
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file_name)


def _snapshot_match(user, sha256: str) -> dict:
    """Does the claimed snapshot hash belong to a filing? Name it only to those who may see it."""
    submission = Submission.objects.filter(sha256=sha256).select_related("filing").first()
    if not sha256 or submission is None:
        return {"found": False}
    visible = Filing.objects.visible_to(user).filter(pk=submission.filing_id).exists()
    return {"found": True, "receipt_number": submission.receipt_number if visible else ""}


@require_http_methods(["GET", "POST"])
@login_required
def report_verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = match = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        result = verify_pdf(upload.read())
        if result.error:
            logger.info("Report verification could not read %r: %s", upload.name, result.error)
        # The hash a report states is evidence only when its signature is intact and trusted.
        match = _snapshot_match(request.user, result.snapshot_sha256) if result.ok else None
        record_access(
            request=request,
            action=AuditAction.REPORT_VERIFY,
            summary=upload.name[:200],
            data={"ok": result.ok, "match": bool(match and match["found"])},
        )
    context = {"form": form, "result": result, "match": match}
    return render(request, "reports/report_verify.html", context)


@require_safe
@login_required
def notice_pdf(request, pk):
    """The signed PDF of an issued notice (a filer: of its own company's notices only)."""
    notice = get_notice_for_user(request.user, pk)
    if not notice.is_issued:
        raise Http404
    document = notice_document(notice)
    record_access(
        request=request,
        action=AuditAction.REPORT_DOWNLOAD,
        target=document,
        data={"sha256": document.sha256, "number": notice.document_number},
    )
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)
