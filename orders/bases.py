"""Which legal bases each step of a case cites, by code (the law itself is data in ``legal``)."""

from dataclasses import dataclass

from legal.models import current_basis

# Codes from the first basis set (CONTRACT-16-17.md). No article is written here: the citation
# and its verification state come from the basis data.
PROCEDURE_NOTICE = {"bemmei": ("apa-13", "apa-30"), "chomon": ("apa-13", "apa-15")}
ORDER_PROVISIONS = {
    "change_order": ("eba-27-30-5",),
    "suspension_order": ("eba-27-30-5",),
    "improvement_order": ("eba-27-32",),
}
ADVANCE_CHANGE = "eba-27-30-7"  # a change notification notified in advance: 8項 applies 2–6項
AFTER_THE_FACT = "eba-27-30-9"  # a change notified after the fact: no window, no order
CRITERION = {
    "change_order": "criterion-change-order",
    "suspension_order": "criterion-change-order",
    "improvement_order": "criterion-improvement-order",
}
OPINION = "eba-66-11"
REASONS = "apa-14"
ELECTRONIC_NOTICE = "dpa-7"
EXPLANATION = "apa-29"
STANDARDS = "apa-12"
REQUEST_FOR_REVIEW_PERIOD = "ara-18"
REQUEST_FOR_REVIEW_INSTRUCTION = "ara-82"
SUIT_DEFENDANT = "acla-11"
SUIT_PERIOD = "acla-14"
SUIT_INSTRUCTION = "acla-46"
APPEAL_HEARING = "eba-110"


@dataclass(frozen=True)
class Cited:
    code: str
    citation: str
    title: str
    verification: str  # the basis's state (statute / criterion / secondary / unverified)
    verification_label: str
    is_verified: bool


def cite(code: str) -> Cited:
    """The current version of a basis, as notices and pages print it (the same fields as
    ``legal.LegalBasis``, so the ``legal/basis_citation.html`` partial shows either)."""
    basis = current_basis(code)
    return Cited(
        code=code,
        citation=basis.citation,
        title=basis.title,
        verification=basis.verification,
        verification_label=str(basis.verification_label),
        is_verified=basis.is_verified,
    )
