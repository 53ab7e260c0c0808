"""Demo filings in every state, so that the portal never starts empty (used by seed_demo)."""

import io
from datetime import timedelta

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings import services
from filings.services import AnswerEdit
from filings.uploads import inspect_upload

HEADER = {
    "chain_role": "coordinator",
    "importance_class": "standard",
    "expected_capacity_kw": 12000,
    "contact_name": "連絡 担当",
    "contact_email": "contact@aggregator-a.example",
    "contact_phone": "03-1234-5678",
    "uses_lower_aggregators": False,
}
UNMET = {"SYS-1": "partial", "OPS-1": "not_implemented"}
TEXTS = {  # what a filer would write for each status
    "implemented": "{title}について社内規程を定め、全システムで運用している。",
    "partial": "{title}について、制御サーバでは実施済み。保守用端末は対応予定日までに実施する。",
    "not_implemented": "",
}


def _answer(filing, actor, *, limit=None, unmet=None):
    answers = list(filing.answers.select_related("item").order_by("item__category__order"))
    edits = []
    for answer in answers[:limit]:
        status = (unmet or {}).get(answer.item.code, "implemented")
        values = {
            "status": status,
            "implementation": TEXTS[status].format(title=answer.item.title_ja),
            "justification": "",
            "target_date": timezone.localdate() + timedelta(days=60)
            if status != "implemented"
            else None,
        }
        edits.append(AnswerEdit(answer.item_id, values, answer.version, answer.content_digest()))
    services.save_answers(filing=filing, actor=actor, edits=edits)
    return answers


def _demo_pdf(title: str) -> bytes:
    """A real (blank, one-page) PDF: evidence is read as viewers read it, so it must be one."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _attach_policy(filing, actor, answers):
    content = _demo_pdf("demo evidence")
    upload = SimpleUploadedFile("セキュリティ基本方針.pdf", content, "application/pdf")
    services.add_evidence(
        filing=filing,
        actor=actor,
        upload=upload,
        inspected=inspect_upload(upload),
        kind="item",
        answers=answers[:2],
    )


def _declare_lower(filing, actor) -> None:
    """One lower-level aggregator; requirements cover all but INC-3; the requirement document is
    attached but no contract clause: the lower-level rule raises two candidates."""
    coverage = {
        row.item_id: {"covered": row.item.code != "INC-3", "clause_reference": "要求仕様書 第3章"}
        for row in filing.coverage.select_related("item")
    }
    services.save_lower_aggregators(
        filing=filing,
        actor=actor,
        uses=True,
        aggregators=[
            {
                "name": "シー・リソース合同会社",
                "corporate_number": "1010003012346",
                "contract_date": timezone.localdate() - timedelta(days=30),
            }
        ],
        removed=[],
        coverage=coverage,
        version=filing.version,
    )
    content = _demo_pdf("demo requirements")
    upload = SimpleUploadedFile(
        "下位アグリゲーター向けセキュリティ要件書.pdf", content, "application/pdf"
    )
    services.add_evidence(
        filing=filing,
        actor=actor,
        upload=upload,
        inspected=inspect_upload(upload),
        kind="lower_requirements",
        answers=[],
    )


def seed_filings(*, staff, officer, lower: bool = False) -> None:
    if staff.organisation.filings.exists():
        return
    start = timezone.localdate() + timedelta(days=90)
    services.create_filing(actor=staff, header={**HEADER, "planned_start_date": start})
    half = services.create_filing(actor=staff, header={**HEADER, "planned_start_date": start})
    _answer(half, staff, limit=8)
    # 確認依頼: the officer finds this draft on their home page (issue 18's hand-off).
    note = "途中まで入力しました。確認をお願いします。"
    services.request_submission(filing=half, actor=staff, comment=note)
    submitted = services.create_filing(actor=staff, header={**HEADER, "planned_start_date": start})
    _attach_policy(submitted, staff, _answer(submitted, staff, unmet=UNMET))
    if lower:
        submitted.refresh_from_db()
        _declare_lower(submitted, staff)
    services.submit_filing(filing=submitted, actor=officer)
    change = services.start_change_notification(filing=submitted, actor=officer)
    _answer(change, officer, unmet={"OPS-1": "partial"})
    services.submit_filing(filing=change, actor=officer)


def submitted_filing(*, staff, officer, unmet: dict[str, str]):
    """One more new notification, answered with ``unmet`` items and submitted (for the demo
    order procedures, which need filings whose candidates are upheld)."""
    start = timezone.localdate() + timedelta(days=90)
    filing = services.create_filing(actor=staff, header={**HEADER, "planned_start_date": start})
    _attach_policy(filing, staff, _answer(filing, staff, unmet=unmet))
    services.submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    return filing
