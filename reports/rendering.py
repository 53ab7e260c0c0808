"""All PDF rendering: the filing report (届出内容報告書, as filed), the review record
(審査記録), the determination notice (判定通知) and the evidence package.

Reports are rendered from print templates (templates/reports/print/), never from page templates,
with WeasyPrint. The renderer may fetch nothing but the project's own static files; uploaded files
are never fed to it (only their name, size and SHA-256 are listed).
"""

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from accounts import anchors
from accounts.models import AuditAnchor, AuditEvent
from checklists.models import UNVERIFIED, Guideline, ItemSource
from filings.changes import compare_snapshots
from filings.models import Answer, Evidence, Filing, Submission
from filings.snapshots import entry_is_criterion, entry_is_unmet
from reports import documents
from reviews.exports import csv_safe_row
from reviews.models import Review

PRINT_STATIC = Path(settings.BASE_DIR) / "static"
STATUS_LABELS = dict(Answer.Status.choices)
LEVEL_LABELS = dict(ItemSource.Level.choices)
VERIFICATION_LABELS = dict(ItemSource.Verification.choices)


# What the print templates load, and nothing else (fonts are the system's, not fetched).
PRINT_FILES = frozenset({(PRINT_STATIC / "css" / "print.css").resolve()})


class StaticOnlyFetcher(URLFetcher):
    """Refuse every URL but the print stylesheet. The path is decoded before it is resolved:
    ``static/%2e%2e/var/signing/key.pem`` is ``var/signing/key.pem``, which it refuses."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"The report renderer fetches no remote resources: {url}")
        path = Path(unquote(parts.path)).resolve()
        if path not in PRINT_FILES:
            raise ValueError(f"The report renderer fetches only its stylesheet: {url}")
        return super().fetch(path.as_uri(), headers)


def render_pdf(template: str, context: dict) -> bytes:
    # Every report prints the audit log's chain head (print/base.html): an anchor for the log
    # outside the database. Kept out of the documents' digests, which it would make always stale.
    # The head it prints is anchored too (accounts/anchors.py): signed, kept outside the log.
    head = AuditEvent.objects.head()
    document = f"{Path(template).stem} {context.get('receipt_number', '')}".strip()
    anchors.anchor_chain(reason=AuditAnchor.Reason.DOCUMENT, document=document, head=head)
    context = {**context, "audit_head": head}
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
        "level": LEVEL_LABELS.get(source.get("level", ""), source.get("level", "")),
        "unverified": verification in UNVERIFIED,
        "verification": VERIFICATION_LABELS.get(verification, verification),
    }


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def _item_groups(items: list[dict]) -> tuple[list[tuple[str, list[dict]]], list[dict]]:
    """Criterion items by category (in catalogue order), and the reference items apart."""
    groups: dict[str, list[dict]] = {}
    reference = []
    for item in items:
        if item["criterion"]:
            groups.setdefault(item["category"], []).append(item)
        else:
            reference.append(item)
    return list(groups.items()), reference


def filing_report_context(
    *,
    snapshot: dict,
    sha256: str,
    titles: dict[str, str] | None = None,
    previous: dict | None = None,
) -> dict:
    """The filing report from the snapshot alone (and, for a change notification, the snapshot of
    the submission it amends, for the change list 変更内容)."""
    titles = guideline_titles() if titles is None else titles  # once per report, not per row
    kinds = dict(Evidence.Kind.choices)
    files = {
        file["id"]: {**file, "kind_label": kinds.get(file.get("kind"), "")}
        for file in snapshot["evidence"]
    }
    items = [
        {
            **entry,
            "criterion": entry_is_criterion(entry),
            "unmet": entry_is_unmet(entry),
            "status_label": STATUS_LABELS.get(entry["status"], "未回答"),
            "sources": [print_source(source, titles) for source in entry["sources"]],
            "files": [files[pk] for pk in entry["evidence"] if pk in files],
        }
        for entry in snapshot["items"]
    ]
    criterion_groups, reference_items = _item_groups(items)
    header = snapshot.get("filing", {})
    # The snapshot does not record whether a coverage attribution was checked; unless it does,
    # every coverage row is printed as 出典未確認 (the shipped catalogue has none verified).
    coverage_checked = {
        entry["code"]: entry.get("lower_coverage_verification") not in (None, *UNVERIFIED)
        for entry in snapshot["items"]
    }
    lower = snapshot["lower_aggregators"]
    coverage = [
        {**row, "verified": coverage_checked.get(row["item"], False)} for row in lower["coverage"]
    ]
    return {
        "snapshot": snapshot,
        "sha256": sha256,
        "receipt_number": snapshot["receipt_number"],  # the print base template's header
        "snapshot_sha256": sha256,
        "criterion_groups": criterion_groups,
        "reference_items": reference_items,
        "files": files.values(),
        "capacity": f"{kw:,} kW" if (kw := header.get("expected_capacity_kw")) is not None else "",
        "chain_role": _choice(Filing.ChainRole.choices, header.get("chain_role")),
        "importance_class": _choice(Filing.ImportanceClass.choices, header.get("importance_class")),
        "coverage": coverage,
        "changes": compare_snapshots(previous, snapshot) if previous is not None else None,
    }


def previous_snapshot(snapshot: dict) -> dict | None:
    """For a change notification, the snapshot of the submission it amends."""
    number = snapshot.get("filing", {}).get("amends_receipt_number")
    if snapshot.get("filing", {}).get("kind") != "change" or not number:
        return None
    submission = Submission.objects.filter(receipt_number=number).first()
    return submission.snapshot if submission else None


def render_filing_report(filing: Filing) -> bytes:
    submission = filing.submission
    snapshot = submission.snapshot
    with translation.override("ja"):
        context = filing_report_context(
            snapshot=snapshot, sha256=submission.sha256, previous=previous_snapshot(snapshot)
        )
    return render_pdf("reports/print/filing_report.html", context)


# --- the review documents: 審査記録 and 判定通知 -----------------------------------------------
def review_document(review: Review, kind: str) -> dict:
    """What the review record or the determination notice prints, as plain data (Japanese)."""
    build, _template = documents.DOCUMENTS[kind]
    with translation.override("ja"):
        return build(review)


def render_review_document(review: Review, kind: str) -> bytes:
    _build, template = documents.DOCUMENTS[kind]
    document = review_document(review, kind)
    context = {
        "document": document,
        "receipt_number": document["receipt_number"],
        "snapshot_sha256": document["snapshot_sha256"],
    }
    return render_pdf(template, context)


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
            # The original name is the uploader's text: "=HYPERLINK(...)" must stay text in Excel.
            writer.writerow(
                csv_safe_row(
                    [
                        stored,
                        evidence.original_name,
                        evidence.size,
                        evidence.sha256,
                        actual == evidence.sha256,
                    ]
                )
            )
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
        archive.writestr(f"filing_report-{filing.receipt_number}.pdf", filing_report_pdf)
    return buffer.getvalue()
