"""All PDF rendering: report 1 (the filing as filed), report 2 (the review), the evidence package.

Reports are rendered from print templates (templates/reviews/print/), never from page templates,
with WeasyPrint. The renderer may fetch nothing but the project's own static files; uploaded files
are never fed to it (only their name, size and SHA-256 are listed).
"""

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from checklists.models import Guideline, ItemSource
from filings.models import Answer, Filing
from reviews.models import Flag, Review

PRINT_STATIC = Path(settings.BASE_DIR) / "static"
STATUS_LABELS = dict(Answer.Status.choices)
LEVEL_LABELS = dict(ItemSource.Level.choices)
VERIFICATION_LABELS = dict(ItemSource.Verification.choices)
UNVERIFIED = {ItemSource.Verification.INFERRED, ItemSource.Verification.UNVERIFIED}


class StaticOnlyFetcher(URLFetcher):
    """Refuse every URL except files inside the project's static folder."""

    def fetch(self, url, headers=None):
        if not url.startswith("file://"):
            raise ValueError(f"The report renderer fetches no remote resources: {url}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(PRINT_STATIC):
            raise ValueError(f"The report renderer fetches only static files: {url}")
        return super().fetch(url, headers)


def render_pdf(template: str, context: dict) -> bytes:
    with translation.override("ja"):
        html = render_to_string(template, context)
    document = HTML(
        string=html,
        base_url=PRINT_STATIC.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(allowed_protocols=["file"]),
    )
    return document.write_pdf()


def digest(data) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- report 1: the filing as filed, from the snapshot only --------------------------------------
def guideline_titles() -> dict[str, str]:
    """Guideline code → Japanese title; the snapshot stores codes, the report prints titles."""
    return dict(Guideline.objects.values_list("code", "title_ja"))


def print_source(source: dict, titles: dict[str, str]) -> dict:
    """A snapshot source as the pages show it: title, level label, 出典未確認 when not checked."""
    verification = source.get("verification", "")
    return {
        **source,
        "guideline": titles.get(source["guideline"], source["guideline"]),
        "level": LEVEL_LABELS.get(source.get("level"), source.get("level", "")),
        "unverified": verification in UNVERIFIED,
        "verification": VERIFICATION_LABELS.get(verification, verification),
    }


def filing_report_context(
    *, snapshot: dict, sha256: str, titles: dict[str, str] | None = None
) -> dict:
    titles = guideline_titles() if titles is None else titles  # once per report, not per row
    files = {file["id"]: file for file in snapshot["evidence"]}
    items = [
        {
            **entry,
            "status_label": STATUS_LABELS.get(entry["status"], "未回答"),
            "sources": [print_source(source, titles) for source in entry["sources"]],
            "files": [files[pk] for pk in entry["evidence"] if pk in files],
        }
        for entry in snapshot["items"]
    ]
    return {"snapshot": snapshot, "sha256": sha256, "items": items, "files": files.values()}


def render_filing_report(filing: Filing) -> bytes:
    submission = filing.submission
    context = filing_report_context(snapshot=submission.snapshot, sha256=submission.sha256)
    return render_pdf("reviews/print/filing_report.html", context)


# --- report 2: the review -------------------------------------------------------------------------
def review_document(review: Review) -> dict:
    """All that report 2 shows, as plain data; its digest says whether a stored copy is current."""
    flags = review.flags.select_related("decided_by").prefetch_related("inquiries__answered_by")
    return {
        "receipt_number": review.filing.receipt_number,
        "snapshot_sha256": review.filing.submission.sha256,
        "organisation": review.filing.organisation.name,
        "corporate_number": review.filing.organisation.corporate_number,
        "status": review.get_status_display(),
        # Dates and times as ISO text, times in local time (Asia/Tokyo): the template formats them.
        "received_at": timezone.localtime(review.received_at).isoformat(),
        "deadline": review.deadline.isoformat(),
        "determination": review.get_determination_display(),
        "determination_reason": review.determination_reason,
        "determined_at": (
            timezone.localtime(review.determined_at).isoformat() if review.determined_at else None
        ),
        "determined_by": review.determined_by.full_name if review.determined_by else "",
        "flags": [
            {
                "kind": flag.get_kind_display(),
                "item": f"{flag.item_code} {flag.item_title}".strip(),
                "finding": flag.finding,
                "legal_basis": flag.legal_basis,
                "decision": flag.get_decision_display(),
                "reason": flag.decision_reason,
                "decided_by": flag.decided_by.full_name if flag.decided_by else "",
                "inquiries": [
                    {
                        "question": inquiry.question,
                        "due_date": inquiry.due_date.isoformat(),
                        "answer": inquiry.answer,
                        "late": inquiry.is_late,
                        "attachment": inquiry.attachment_name,
                        "attachment_sha256": inquiry.attachment_sha256,
                    }
                    for inquiry in flag.inquiries.all()
                ],
            }
            for flag in flags
            if flag.kind != Flag.Kind.REFERENCE or flag.decision
        ],
    }


def render_review_report(review: Review) -> bytes:
    with translation.override("ja"):
        document = review_document(review)
    return render_pdf("reviews/print/review_report.html", {"review": document})


# --- the evidence package (admins) ---------------------------------------------------------------
def build_evidence_package(filing: Filing, filing_report_pdf: bytes) -> bytes:
    """A zip of the evidence files, a manifest with their hashes, and report 1."""
    buffer = io.BytesIO()
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["file", "original_name", "size", "sha256", "verified"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, evidence in enumerate(filing.evidence_files.order_by("id"), start=1):
            with evidence.file.open("rb") as handle:
                content = handle.read()
            actual = hashlib.sha256(content).hexdigest()
            stored = f"evidence/{index:03d}_{evidence.original_name}"
            archive.writestr(stored, content)
            writer.writerow(
                [
                    stored,
                    evidence.original_name,
                    evidence.size,
                    evidence.sha256,
                    actual == evidence.sha256,
                ]
            )
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
        archive.writestr(f"filing_report-{filing.receipt_number}.pdf", filing_report_pdf)
    return buffer.getvalue()
