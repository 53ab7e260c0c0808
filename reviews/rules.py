"""Flag rules: pure functions of what was filed, one per rule, each with its basis beside it.

Filing rules read a submission's snapshot (never live rows), so a flag can always be traced to the
filed record; incident rules read the incident and the company's latest snapshot. Each returns
FlagSpecs; ``open_review`` and ``file_incident_report`` store them.

The source document (../shared/seeds/) sets two tests:
- at filing, an unmet recommended item (勧告事項) of either guideline makes the filing a
  change-order candidate (変更命令等候補); for lower-level aggregators, the level secured by
  contract between the aggregators must reach the ERAB recommended items;
- during operation, measures that are insufficient **and** thereby disrupt supply or put it at
  risk make a business-improvement-order candidate (業務改善命令候補).
Each rule names its basis by code; the text, citation and verification state are data (the legal
app), and each flag keeps the basis version it cited.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filings.models import UNMET_STATUSES, Answer
from filings.snapshots import entry_is_criterion as is_criterion
from filings.snapshots import entry_is_unmet as is_unmet

# Bases are data (legal app, fixtures/legal/): a rule names the code, the flag keeps the version
# it cited. The codes and their verification states are listed in legal/README.md.
CHANGE_ORDER = "criterion-change-order"
LOWER_AGGREGATOR = "criterion-lower-aggregator"
IMPROVEMENT_ORDER = "criterion-improvement-order"
EVIDENCE_INQUIRY = "guidance-evidence-inquiry"
START_DATE_INQUIRY = "start-date-inquiry"
REFERENCE_ITEM = "reference-item"
INCIDENT_INQUIRY = "incident-inquiry"
BASIS_CODES = (
    CHANGE_ORDER,
    LOWER_AGGREGATOR,
    IMPROVEMENT_ORDER,
    EVIDENCE_INQUIRY,
    START_DATE_INQUIRY,
    REFERENCE_ITEM,
    INCIDENT_INQUIRY,
)


IMPACT = {"disrupted", "at_risk"}


@dataclass(frozen=True)
class FlagSpec:
    kind: str  # Flag.Kind value
    rule: str
    item_code: str
    item_title: str
    finding: str
    basis_code: str  # a LegalBasis code; the current published version is cited


def _iso_date(value: str) -> str:
    return date_format(date.fromisoformat(value), "DATE_FORMAT")


def _status_label(status: str) -> str:
    return str(dict(Answer.Status.choices).get(status, status or "—"))


def _on_item(kind: str, rule: str, entry: dict, finding: str, basis: str) -> FlagSpec:
    return FlagSpec(kind, rule, entry["code"], entry["title_ja"], finding, basis)


def _lower_requirement_item(snapshot: dict) -> dict:
    return next(
        (e for e in snapshot["items"] if e["lower_aggregator_requirement"]),
        {"code": "", "title_ja": ""},
    )


# --- at filing -------------------------------------------------------------------------------
def criterion_item_unmet(snapshot: dict) -> list[FlagSpec]:
    """A criterion item answered 未実施 or 一部実施 → change-order candidate."""
    return [
        _on_item(
            "change_order",
            "criterion_item_unmet",
            entry,
            _("Answered “%(status)s”: %(text)s")
            % {"status": _status_label(entry["status"]), "text": entry["implementation"] or "—"},
            CHANGE_ORDER,
        )
        for entry in snapshot["items"]
        if is_criterion(entry) and entry["status"] in UNMET_STATUSES
    ]


def criterion_item_not_applicable(snapshot: dict) -> list[FlagSpec]:
    """A criterion item answered 該当なし where the catalogue does not allow it."""
    return [
        _on_item(
            "change_order",
            "criterion_item_not_applicable",
            entry,
            _("Answered “not applicable”, which this item does not allow."),
            CHANGE_ORDER,
        )
        for entry in snapshot["items"]
        if is_criterion(entry)
        and entry["status"] == Answer.Status.NOT_APPLICABLE
        and not entry["allows_not_applicable"]
    ]


def implemented_without_evidence(snapshot: dict) -> list[FlagSpec]:
    """A criterion item answered 実施済 with no evidence → inquiry candidate, not an order."""
    return [
        _on_item(
            "inquiry_candidate",
            "implemented_without_evidence",
            entry,
            _("Answered “implemented” with no evidence attached."),
            EVIDENCE_INQUIRY,
        )
        for entry in snapshot["items"]
        if is_criterion(entry)
        and entry["status"] == Answer.Status.IMPLEMENTED
        and not entry["evidence"]
    ]


def target_date_after_start(snapshot: dict) -> list[FlagSpec]:
    """An unmet criterion item whose fix is due after the planned business start → inquiry."""
    start = snapshot["filing"].get("planned_start_date")
    if not start:
        return []
    return [
        _on_item(
            "inquiry_candidate",
            "target_date_after_start",
            entry,
            _("The target date %(target)s is after the planned business start %(start)s.")
            % {"target": _iso_date(entry["target_date"]), "start": _iso_date(start)},
            START_DATE_INQUIRY,
        )
        for entry in snapshot["items"]
        if is_criterion(entry)
        and entry["status"] in UNMET_STATUSES
        and entry["target_date"]
        and entry["target_date"] > start  # ISO dates compare as text
    ]


def lower_requirements_insufficient(snapshot: dict) -> list[FlagSpec]:
    """Lower-level aggregators used: the requirement document, the contract clause that secures
    it and every coverage item must be there; 該当なし for the requirement item is not possible.
    Each shortfall is a change-order candidate against the top-level aggregator."""
    lower = snapshot["lower_aggregators"]
    if not lower["uses"]:
        return []
    item = _lower_requirement_item(snapshot)
    problems = []
    if item.get("status") == Answer.Status.NOT_APPLICABLE:
        problems.append(
            _("Lower-level aggregators are used, but the requirement item is answered “%(s)s”.")
            % {"s": _status_label(item["status"])}
        )
    kinds = {file["kind"] for file in snapshot["evidence"]}
    if "lower_requirements" not in kinds:
        problems.append(_("No requirement document for lower-level aggregators is attached."))
    if "lower_contract" not in kinds:
        problems.append(
            _("No contract clause securing the requirements with lower-level aggregators.")
        )
    covered = {row["item"] for row in lower["coverage"] if row["covered"]}
    problems.extend(
        _(
            "The requirements imposed on lower-level aggregators have no equivalent of "
            "%(code)s %(title)s."
        )
        % {"code": entry["code"], "title": entry["title_ja"]}
        for entry in snapshot["items"]
        if entry.get("lower_coverage") and entry["code"] not in covered
    )
    return [
        FlagSpec(
            "change_order",
            "lower_requirements_insufficient",
            item["code"],
            item["title_ja"],
            problem,
            LOWER_AGGREGATOR,
        )
        for problem in problems
    ]


def reference_item_unmet(snapshot: dict) -> list[FlagSpec]:
    """A reference item (参考（基準外）) unmet → reference finding only, never a candidate."""
    return [
        _on_item(
            "reference",
            "reference_item_unmet",
            entry,
            _("Answered “%(status)s”.") % {"status": _status_label(entry["status"])},
            REFERENCE_ITEM,
        )
        for entry in snapshot["items"]
        if not is_criterion(entry) and is_unmet(entry)
    ]


FILING_RULES = (
    criterion_item_unmet,
    criterion_item_not_applicable,
    implemented_without_evidence,
    target_date_after_start,
    lower_requirements_insufficient,
    reference_item_unmet,
)


def run_filing_rules(snapshot: dict) -> list[FlagSpec]:
    return [spec for rule in FILING_RULES for spec in rule(snapshot)]


# --- during operation ------------------------------------------------------------------------
@dataclass(frozen=True)
class IncidentFacts:
    supply_impact: str  # IncidentReport.SupplyImpact value
    location: str  # "own" or "lower"
    lower_aggregator_name: str
    related: list  # [{"code", "title_ja"}]


def _unmet_related(facts: IncidentFacts, snapshot: dict | None) -> list[dict]:
    """Related criterion items that the latest filing left unmet, as filed."""
    if snapshot is None:
        return []
    filed = {entry["code"]: entry for entry in snapshot["items"]}
    related = [filed.get(item["code"]) for item in facts.related]
    return [entry for entry in related if entry and is_criterion(entry) and is_unmet(entry)]


def incident_supply_impact(facts: IncidentFacts, snapshot: dict | None) -> list[FlagSpec]:
    """Supply disrupted or at risk → business-improvement-order candidate against the top-level
    aggregator, even where the incident occurred at a lower-level aggregator. Insufficiency and
    causation are the reviewer's to establish; the finding lists the filed facts."""
    if facts.supply_impact not in IMPACT:
        return []
    impact = _("supply disrupted") if facts.supply_impact == "disrupted" else _("supply at risk")
    parts = [_("The security incident report states: %(impact)s.") % {"impact": impact}]
    if facts.location == "lower":
        parts.append(
            _(
                "It occurred at the lower-level aggregator %(name)s; the top-level aggregator is "
                "the candidate (lower-level aggregators are not regulated directly)."
            )
            % {"name": facts.lower_aggregator_name}
        )
    unmet = _unmet_related(facts, snapshot)
    if unmet:
        parts.append(
            _("Related criterion items unmet in the latest filing: %(items)s.")
            % {
                "items": "、".join(
                    f"{e['code']} {e['title_ja']}（{_status_label(e['status'])}）" for e in unmet
                )
            }
        )
    parts.append(
        _(
            "Whether the measures were insufficient and whether that caused the supply impact "
            "remain to be established."
        )
    )
    rule = "incident_at_lower_aggregator" if facts.location == "lower" else "incident_supply_impact"
    return [FlagSpec("improvement_order", rule, "", "", " ".join(parts), IMPROVEMENT_ORDER)]


def incident_related_items_unmet(facts: IncidentFacts, snapshot: dict | None) -> list[FlagSpec]:
    """No supply impact: related criterion items unmet in the latest filing → inquiry candidates."""
    if facts.supply_impact in IMPACT:
        return []  # already listed as facts in the order candidate's finding
    return [
        _on_item(
            "inquiry_candidate",
            "incident_related_item_unmet",
            entry,
            _("Related to the incident; in the latest filing: %(status)s.")
            % {"status": _status_label(entry["status"])},
            INCIDENT_INQUIRY,
        )
        for entry in _unmet_related(facts, snapshot)
    ]


def incident_without_filing(facts: IncidentFacts, snapshot: dict | None) -> list[FlagSpec]:
    """The company has no submitted filing on record → inquiry candidate."""
    if snapshot is not None:
        return []
    return [
        FlagSpec(
            "inquiry_candidate",
            "incident_without_filing",
            "",
            "",
            _("No submitted filing of this company is on record."),
            INCIDENT_INQUIRY,
        )
    ]


INCIDENT_RULES = (incident_supply_impact, incident_related_items_unmet, incident_without_filing)


def run_incident_rules(facts: IncidentFacts, snapshot: dict | None) -> list[FlagSpec]:
    return [spec for rule in INCIDENT_RULES for spec in rule(facts, snapshot)]
