"""The submission snapshot: everything filed, as canonical JSON, and the change list (変更内容).

Canonical means: keys sorted, no insignificant white space, UTF-8, so the SHA-256 of the stored text
can be recomputed by anyone from the JSON alone.
"""

import hashlib
import json

from django.utils import timezone

from checklists.models import REFERENCE_SECTION
from filings.models import (
    Answer,
    Evidence,
    Filing,
    is_unmet,
)

SNAPSHOT_FORMAT = 2  # 2: "criterion" and "lower_coverage" per item (1 said "required")


def entry_is_criterion(entry: dict) -> bool:
    """Snapshots of format 1 called criterion items ``required``."""
    return bool(entry.get("criterion", entry.get("required")))


def entry_is_unmet(entry: dict) -> bool:
    return is_unmet(entry["status"], allows_not_applicable=entry["allows_not_applicable"])


def canonical_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _date(value) -> str | None:
    return value.isoformat() if value else None


# The lower-level requirement document and contract clause are evidence of the requirement item
# (SUP-1) too, wherever they were uploaded.
LOWER_EVIDENCE = (Evidence.Kind.LOWER_REQUIREMENTS, Evidence.Kind.LOWER_CONTRACT)


def build_snapshot(
    *, filing: Filing, receipt_number: str, submitted_at, submitted_by, items=None
) -> dict:
    """``items`` (with sources) limits the snapshot's items to those: a draft's outcome for the
    items on one checklist page (``build_draft_snapshot``)."""
    answers = {
        answer.item_id: answer
        for answer in (
            filing.answers.filter(item__in=items) if items is not None else filing.answers
        )
        .prefetch_related("evidence")
        .order_by("item_id")
    }
    evidence = list(filing.evidence_files.order_by("id"))
    lower_files = [file.pk for file in evidence if file.kind in LOWER_EVIDENCE]
    if items is None:
        items = filing.catalogue.items.with_sources().in_sections()
    organisation = filing.organisation
    return {
        "format": SNAPSHOT_FORMAT,
        "receipt_number": receipt_number,
        "submitted_at": submitted_at.isoformat(),
        "submitted_by": {"name": submitted_by.full_name, "email": submitted_by.email},
        "organisation": {
            "name": organisation.name,
            "corporate_number": organisation.corporate_number,
            "address": organisation.address,
        },
        "catalogue": {"version": filing.catalogue.version, "title_ja": filing.catalogue.title_ja},
        "filing": {
            "id": filing.pk,
            "kind": filing.kind,
            "amends_receipt_number": filing.amends.receipt_number if filing.amends else None,
            "chain_role": filing.chain_role,
            "importance_class": filing.importance_class,
            "expected_capacity_kw": filing.expected_capacity_kw,
            "planned_start_date": _date(filing.planned_start_date),
            "contact_name": filing.contact_name,
            "contact_email": filing.contact_email,
            "contact_phone": filing.contact_phone,
        },
        "items": [
            _item_entry(
                item,
                answers.get(item.pk),
                also=lower_files if item.lower_aggregator_requirement else [],
            )
            for item in items
        ],
        "evidence": [
            {
                "id": file.pk,
                "kind": file.kind,
                "name": file.original_name,
                "content_type": file.content_type,
                "size": file.size,
                "sha256": file.sha256,
            }
            for file in evidence
        ],
        "lower_aggregators": {
            "uses": filing.uses_lower_aggregators,
            "aggregators": [
                {
                    "name": lower.name,
                    "corporate_number": lower.corporate_number,
                    "contract_date": _date(lower.contract_date),
                }
                for lower in filing.lower_aggregators.order_by("id")
            ],
            "coverage": [
                {
                    "item": row.item.code,
                    "title_ja": row.item.title_ja,
                    "covered": row.covered,
                    "clause_reference": row.clause_reference,
                }
                for row in filing.coverage.select_related("item").order_by("item__order")
            ],
        },
    }


def build_draft_snapshot(*, filing: Filing, user, items=None) -> dict:
    """What submitting now would file (no receipt number yet), for running the rules on a draft."""
    return build_snapshot(
        filing=filing,
        receipt_number="",
        submitted_at=timezone.now(),
        submitted_by=user,
        items=items,
    )


def _item_entry(item, answer: Answer | None, *, also: list[int]) -> dict:
    return {
        "code": item.code,
        "category": item.category.name_ja,
        "title_ja": item.title_ja,
        "criterion": item.is_criterion,
        "allows_not_applicable": item.allows_not_applicable,
        "lower_aggregator_requirement": item.lower_aggregator_requirement,
        "lower_coverage": item.lower_coverage_required,
        "lower_coverage_verification": item.lower_coverage_verification,
        "sources": [
            {
                "guideline": source.edition.guideline.code,
                "edition": source.edition.label,
                "clause": source.clause,
                "level": source.level,
                "verification": source.verification,
            }
            for source in item.sources.all()
        ],
        "status": answer.status if answer else "",
        "implementation": answer.implementation if answer else "",
        "justification": answer.justification if answer else "",
        "target_date": _date(answer.target_date) if answer else None,
        "evidence": sorted({*(file.pk for file in answer.evidence.all()), *also})
        if answer
        else sorted(also),
    }


# --- the change list (変更内容) of a change notification ------------------------------------------

# --- the whole filing on one page ----------------------------------------------------------------


def snapshot_sections(snapshot: dict) -> list[dict]:
    """The snapshot's items by checklist section, in its order, each with its evidence files (as
    filed) and whether it is unmet: what the one view of the whole filing lists."""
    files = {file["id"]: file for file in snapshot["evidence"]}
    sections: list[dict] = []
    for entry in snapshot["items"]:
        criterion = entry_is_criterion(entry)
        name = entry["category"] if criterion else str(REFERENCE_SECTION.name)
        if not sections or sections[-1]["name"] != name:
            sections.append({"name": name, "entries": [], "unmet": 0, "answered": 0})
        section = sections[-1]
        unmet = entry_is_unmet(entry)
        section["entries"].append(
            {
                **entry,
                "criterion": criterion,
                "unmet": unmet,
                "files": [files[pk] for pk in entry["evidence"] if pk in files],
            }
        )
        section["unmet"] += unmet and criterion
        section["answered"] += bool(entry["status"])
    return sections
