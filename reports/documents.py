"""The two review documents as plain data: 審査記録 (review record, regulators only) and 判定通知
(determination notice, for the filer).

Each document is a dict of what its PDF prints, nothing more: its digest (reports.digest) tells
whether a stored copy is current, and what is not in the dict cannot leak into the PDF. The notice
therefore holds no person's name, no reason for a withdrawn flag and nothing of inquiry candidates
or reference findings.

Legal bases are long texts shared by many flags: a document lists each one once, numbered
(「根拠」 [1], [2] …) with its citation, verification state and version, and a flag refers to its
number. A flag prints the basis version it cited, whatever version is current. Dates and times
are ISO text in Japan time; the print templates format them (filter ``snapshot_date``).
"""

from collections.abc import Callable

from django.utils import timezone

from legal.models import current_basis
from reports.models import Report
from reports.notices import cited
from reviews.models import Flag, Review


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _date(value) -> str | None:
    return value.isoformat() if value else None


class Bases:
    """Numbers the cited bases (each version once) in order of first use; each keeps its citation
    and verification state, so that the PDF prints them next to the text."""

    def __init__(self):
        self._entries: dict[str, dict] = {}

    def ref(self, flag: Flag) -> int:
        cited = flag.cited_basis
        entry = self._entries.setdefault(
            cited["key"],
            {
                "number": len(self._entries) + 1,
                "text": cited["text"],
                "citation": cited["citation"],
                "verification_label": cited["verification_label"],
                "is_verified": cited["is_verified"],
                "version": cited["version"],
            },
        )
        return entry["number"]

    def as_list(self) -> list[dict]:
        return list(self._entries.values())


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
        "has_order_window": review.has_order_window,
        "waiting_period_end": _date(review.waiting_period_end),
        "business_start_from": _date(review.business_start_from),
        "order_window_end": _date(review.order_window_end),
        "shortened": review.shortened_to is not None,
        "extended": review.window_extended_to is not None,
        "period_basis": cited(current_basis("eba-27-30-3")),
        "window_basis": cited(current_basis("eba-27-30-5")),
        "after_the_fact_basis": cited(current_basis("eba-27-30-9")),
        "determination_code": review.determination,
        "determination": review.get_determination_display(),
        "determination_reason": review.determination_reason,
        "determined_at": _time(review.determined_at),
    }


def _item(flag: Flag) -> str:
    return f"{flag.item_code} {flag.item_title}".strip()


def review_record(review: Review) -> dict:
    """審査記録: every flag, its decision, reason, who and when; inquiries; the determination."""
    flags = review.flags.select_related("decided_by", "basis__basis_set").prefetch_related(
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
        for flag in review.flags.filter(decision=Flag.Decision.UPHOLD).select_related(
            "basis__basis_set"
        )
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
