"""What a formal notice says, as plain data, frozen into ``Notice.content`` when it is issued.

The PDF (reports) prints this dict and nothing else, so a filer's copy never shows internal notes
or names, and a later correction of a legal basis never changes an issued notice. Dates are given
both as ISO text and in 和暦.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Answer
from orders import bases
from orders.models import IssuingAuthority, Notice, OrderCase
from orders.wareki import wareki

TITLES = {
    ("procedure_notice", "bemmei"): "弁明の機会の付与通知書",
    ("procedure_notice", "chomon"): "聴聞通知書",
    ("order", ""): "命令書",
    ("closing_notice", ""): "処分を行わない旨の通知書",
}
STATUS_LABELS = dict(Answer.Status.choices)


def title_of(notice: Notice) -> str:
    procedure = notice.case.procedure if notice.kind == Notice.Kind.PROCEDURE_NOTICE else ""
    return TITLES[(notice.kind, procedure)]


def _day(value: date | None) -> dict | None:
    return {"iso": value.isoformat(), "wareki": wareki(value)} if value else None


def _cited(code: str) -> dict:
    cited = bases.cite(code)
    return {
        "code": cited.code,
        "citation": cited.citation,
        "title": cited.title,
        "verification_label": cited.verification_label,
        "verified": cited.is_verified,
    }


def provisions(case: OrderCase) -> list[str]:
    codes = list(bases.ORDER_PROVISIONS[case.kind])
    if case.review is not None and case.review.filing.kind == "change":
        codes.append(bases.ADVANCE_CHANGE)
    return codes


def facts(case: OrderCase) -> list[dict]:
    """The upheld candidates: item, what the filer answered and the evidence it cited."""
    snapshot = case.review.filing.submission.snapshot if case.review is not None else None
    entries = {entry["code"]: entry for entry in snapshot["items"]} if snapshot else {}
    files = {file["id"]: file["name"] for file in snapshot["evidence"]} if snapshot else {}
    rows = []
    for flag in case.upheld_flags():
        entry = entries.get(flag.item_code, {})
        rows.append(
            {
                "item": f"{flag.item_code} {flag.item_title}".strip(),
                "finding": flag.finding,
                "answer": str(STATUS_LABELS.get(entry.get("status", ""), "")),
                "implementation": entry.get("implementation", ""),
                "evidence": [files[pk] for pk in entry.get("evidence", []) if pk in files],
            }
        )
    return rows


def source_facts(case: OrderCase) -> dict:
    if case.review is not None:
        filing = case.review.filing
        return {
            "label": "届出",
            "receipt_number": filing.receipt_number,
            "filing_kind": str(filing.get_kind_display()),
            "accepted_on": _day(case.review.accepted_on),
            "catalogue_version": case.catalogue_version,
        }
    assert case.incident is not None  # a case belongs to a review or an incident
    return {
        "label": "セキュリティ事故報告",
        "receipt_number": "",
        "occurred_on": _day(timezone.localdate(case.incident.occurred_at)),
        "summary": case.incident.summary,
        "catalogue_version": case.catalogue_version,
    }


def instruction(authority: IssuingAuthority) -> dict:
    """教示 (行政事件訴訟法46条; 審査請求 under 行政不服審査法, whose periods the extracts do not
    hold: their bases stay 出典未確認 and the notice marks them 要確認)."""
    return {
        "review_to": authority.appeal_authority,
        "review_bases": [_cited(bases.REQUEST_FOR_REVIEW_PERIOD)],
        "suit_bases": [_cited(bases.SUIT_DEFENDANT), _cited(bases.SUIT_PERIOD)],
        "instruction_bases": [
            _cited(bases.SUIT_INSTRUCTION),
            _cited(bases.REQUEST_FOR_REVIEW_INSTRUCTION),
        ],
    }


def build_content(notice: Notice, *, authority: IssuingAuthority, number: str, day: date) -> dict:
    case = notice.case
    organisation = case.organisation
    content = {
        "title": title_of(notice),
        "kind": notice.kind,
        "procedure": case.procedure,
        "order_kind": str(case.get_kind_display()),
        "document_number": number,
        "issued_on": _day(day),
        "authority": {
            "name": authority.name,
            "signatory": authority.signatory,
            "address": authority.address,
        },
        "addressee": {
            "name": organisation.name,
            "corporate_number": organisation.corporate_number,
            "address": organisation.address,
            "representative": case.representative,
        },
        "source": source_facts(case),
        "disposition": notice.disposition,
        "reasons": notice.reasons,
        "due_on": _day(notice.due_on),
        "place": notice.place,
        "hearing_at": (
            timezone.localtime(notice.hearing_at).strftime("%H時%M分") if notice.hearing_at else ""
        ),
        "hearing_on": _day(timezone.localdate(notice.hearing_at)) if notice.hearing_at else None,
        "provisions": [_cited(code) for code in provisions(case)],
        "facts": facts(case),
        "criterion_list": [_cited(bases.CRITERION[case.kind])],
    }
    if notice.kind == Notice.Kind.PROCEDURE_NOTICE:
        content["procedure_bases"] = [_cited(c) for c in bases.PROCEDURE_NOTICE[case.procedure]]
        content["explanation_basis_list"] = [_cited(bases.EXPLANATION)]
    if notice.kind == Notice.Kind.ORDER:
        content["reasons_basis_list"] = [_cited(bases.REASONS)]
        content["opinion_basis_list"] = [_cited(bases.OPINION)]
        content["opinion"] = _opinion(case)
        content["explanation"] = _explanation(case)
        content["instruction"] = instruction(authority)
    return content


def _opinion(case: OrderCase) -> dict:
    opinion = case.opinion
    return {
        "requested_on": _day(opinion.requested_on),
        "arrived_on": _day(opinion.arrived_on),
    }


def _explanation(case: OrderCase) -> str:
    explanation = getattr(case, "explanation", None)
    if explanation is None:
        return _("No written explanation was submitted by the deadline.")
    return str(explanation.get_kind_display())
