"""The two review documents as plain data: 審査記録 (review record, regulators only) and 判定通知
(determination notice, for the filer).

Each document is a dict of what its PDF prints, nothing more: its digest (reports.digest) tells
whether a stored copy is current, and what is not in the dict cannot leak into the PDF. The notice
therefore holds no person's name, no reason for a withdrawn flag and nothing of inquiry candidates
or reference findings.

Legal bases are long texts shared by many flags: a document lists each one once, numbered
(「根拠」 [1], [2] …), and a flag refers to its number. Dates and times are ISO text in Japan time;
the print templates format them (filter ``snapshot_date``).
"""

from collections.abc import Callable

from django.utils import timezone

from reports.models import Report
from reviews.models import Flag, Review


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _date(value) -> str | None:
    return value.isoformat() if value else None


class Bases:
    """Numbers legal-basis texts in order of first use; unverified if any use is unverified."""

    def __init__(self):
        self._numbers: dict[str, int] = {}
        self._verified: dict[str, bool] = {}

    def ref(self, flag: Flag) -> int:
        text = flag.legal_basis
        number = self._numbers.setdefault(text, len(self._numbers) + 1)
        self._verified[text] = self._verified.get(text, True) and flag.basis_verified
        return number

    def as_list(self) -> list[dict]:
        return [
            {"number": number, "text": text, "verified": self._verified[text]}
            for text, number in self._numbers.items()
        ]


def _facts(review: Review) -> dict:
    filing = review.filing
    return {
        "receipt_number": filing.receipt_number,
        "snapshot_sha256": filing.submission.sha256,
        "organisation": filing.organisation.name,
        "corporate_number": filing.organisation.corporate_number,
        "filing_kind": filing.get_kind_display(),
        "received_at": _time(review.received_at),
        "accepted_on": _date(review.accepted_on),
        "deadline": _date(review.deadline),
        "determination_code": review.determination,
        "determination": review.get_determination_display(),
        "determination_reason": review.determination_reason,
        "determined_at": _time(review.determined_at),
    }


def _item(flag: Flag) -> str:
    return f"{flag.item_code} {flag.item_title}".strip()


def review_record(review: Review) -> dict:
    """審査記録: every flag, its decision, reason, who and when; inquiries; the determination."""
    flags = review.flags.select_related("decided_by").prefetch_related(
        "inquiries__sent_by", "inquiries__answered_by"
    )
    bases = Bases()
    rows = [
        {
            "kind": flag.get_kind_display(),
            "item": _item(flag),
            "finding": flag.finding,
            "basis": bases.ref(flag),
            "decision": flag.get_decision_display(),
            "reason": flag.decision_reason,
            "decided_by": flag.decided_by.full_name if flag.decided_by else "",
            "decided_at": _time(flag.decided_at),
            "no_order_reason": flag.no_order_reason,
            "inquiries": [
                {
                    "question": inquiry.question,
                    "sent_by": inquiry.sent_by.full_name,
                    "sent_at": _time(inquiry.sent_at),
                    "due_date": _date(inquiry.due_date),
                    "answer": inquiry.answer,
                    "answered_by": inquiry.answered_by.full_name if inquiry.answered_by else "",
                    "answered_at": _time(inquiry.answered_at),
                    "late": inquiry.is_late,
                    "attachment": inquiry.attachment_name,
                    "attachment_sha256": inquiry.attachment_sha256,
                }
                for inquiry in flag.inquiries.all()
            ],
        }
        for flag in flags
    ]
    return {
        **_facts(review),
        "status": review.get_status_display(),
        "assignee": review.assignee.full_name if review.assignee else "",
        "determined_by": review.determined_by.full_name if review.determined_by else "",
        "flags": rows,
        "bases": bases.as_list(),
    }


def determination_notice(review: Review) -> dict:
    """判定通知: the outcome and its reasons, the upheld candidates with their bases and, where no
    order follows despite them, the reason against each. No names, nothing internal."""
    upheld = [
        flag
        for flag in review.flags.filter(decision=Flag.Decision.UPHOLD)
        if flag.is_upheld_candidate
    ]
    bases = Bases()
    return {
        **_facts(review),
        "upheld": [
            {
                "kind": flag.get_kind_display(),
                "item": _item(flag),
                "finding": flag.finding,
                "basis": bases.ref(flag),
                "no_order_reason": flag.no_order_reason,
            }
            for flag in upheld
        ],
        "bases": bases.as_list(),
    }


DOCUMENTS: dict[str, tuple[Callable[[Review], dict], str]] = {
    Report.Kind.REVIEW_RECORD: (review_record, "reports/print/review_record.html"),
    Report.Kind.DETERMINATION_NOTICE: (
        determination_notice,
        "reports/print/determination_notice.html",
    ),
}
