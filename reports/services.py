"""State changes of reports: request (served when current, else queued) and build (render, sign).

``render_report`` is the background task (Django's tasks framework); it lives here, beside the
service it runs, so that nothing imports in a circle."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from accounts.models import AuditEvent, User
from filings.models import Filing
from reports import notices, rendering, signing
from reports.models import Report
from reviews.models import PeriodNotice

REVIEW_DOCUMENTS = (Report.Kind.REVIEW_RECORD, Report.Kind.DETERMINATION_NOTICE)


def _report_digest(filing: Filing, kind: str) -> str:
    """Review documents change with the review (each by its own content); the filing report and
    the package never change after submission."""
    if kind in REVIEW_DOCUMENTS:
        return rendering.digest(rendering.review_document(filing.review, kind))
    return filing.submission.sha256


@transaction.atomic
def request_report(
    *, filing: Filing, kind: str, actor: User, ip_address: str | None = None
) -> Report:
    """Serve the stored report when its content is current; otherwise queue a rendering."""
    if kind in notices.KINDS.values():  # the latest notice of that kind
        kinds = {value: key for key, value in notices.KINDS.items()}
        latest = filing.review.period_notices.filter(kind=kinds[kind]).latest("issued_at", "id")
        return request_period_notice(notice=latest, actor=actor)
    report, created = Report.objects.get_or_create(
        filing=filing,
        kind=kind,
        source_digest=_report_digest(filing, kind),
        defaults={"requested_by": actor},
    )
    if not created and Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.QUEUED, error=""
    ):
        created = True  # a failed rendering is tried again, once per request
    if created:
        transaction.on_commit(lambda: render_report.enqueue(report_id=report.pk))
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.REPORT_REQUEST,
        target=report,
        ip_address=ip_address,
        data={"kind": kind, "new": created},
    )
    return report


@transaction.atomic
def request_period_notice(*, notice: PeriodNotice, actor: User) -> Report:
    """Sign the PDF of a 期間短縮通知 / 期間延長通知書 (called when the notice is issued)."""
    document = notices.period_notice_document(notice)
    report, created = Report.objects.get_or_create(
        filing=notice.review.filing,
        kind=notices.KINDS[PeriodNotice.Kind(notice.kind)],
        source_digest=rendering.digest(document),
        defaults={"requested_by": actor, "notice": notice},
    )
    if created:
        transaction.on_commit(lambda: render_report.enqueue(report_id=report.pk))
        AuditEvent.objects.record(
            actor=actor,
            action=AuditEvent.Action.REPORT_REQUEST,
            target=report,
            data={"kind": report.kind, "new": created},
        )
    return report


def period_notice_issued(sender, *, notice: PeriodNotice, actor: User, **kwargs) -> None:
    """Receiver of ``reviews.clock.period_notice_issued`` (connected in ReportsConfig.ready)."""
    request_period_notice(notice=notice, actor=actor)


def build_report(*, report_id: int) -> Report:
    """Run by the task: render and sign; a failure is recorded with its reason, never lost."""
    report = Report.objects.select_related("filing__submission").get(pk=report_id)
    # Claim it: of two workers (or a repeated task), only one renders.
    if not Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED).update(
        status=Report.Status.RENDERING
    ):
        return report
    try:
        content = _render(report)
    except Exception as error:
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report.file.save("report", ContentFile(content), save=False)
        report.sha256 = hashlib.sha256(content).hexdigest()
        report.size, report.status = len(content), Report.Status.READY
        report.finished_at, report.error = timezone.now(), ""
        report.save()
    return report


def _render(report: Report) -> bytes:
    filing = report.filing
    if report.notice is not None:
        document = notices.period_notice_document(report.notice)
        context = {
            "document": document,
            "receipt_number": document["receipt_number"],
            "snapshot_sha256": document["snapshot_sha256"],
        }
        return signing.sign_pdf(rendering.render_pdf(notices.TEMPLATE, context))
    if report.kind in REVIEW_DOCUMENTS:
        return signing.sign_pdf(rendering.render_review_document(filing.review, report.kind))
    filing_pdf = signing.sign_pdf(rendering.render_filing_report(filing))
    if report.kind == Report.Kind.FILING_REPORT:
        return filing_pdf
    return rendering.build_evidence_package(filing, filing_pdf)


@task
def render_report(report_id: int) -> str:
    """Background work: render, sign and store one report."""
    return build_report(report_id=report_id).status
