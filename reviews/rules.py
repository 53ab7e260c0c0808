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
Article numbers are not verified (../shared/reference/guidelines.md §A.1): every basis says so
instead of asserting one, and every flag is stored with ``basis_verified=False``.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filings.models import UNMET_STATUSES, Answer
from filings.snapshots import entry_is_criterion as is_criterion
from filings.snapshots import entry_is_unmet as is_unmet

CRITERION_SOURCE = (
    "「特定卸供給事業（アグリゲーター）届出に係る変更命令等の基準」"
    "（第8回 持続可能な電力システム構築小委員会、2020年12月）"
)
CHANGE_ORDER_BASIS = (
    f"{CRITERION_SOURCE}：電力制御システムセキュリティガイドライン及びERABに関するサイバー"
    "セキュリティガイドラインの勧告事項が特定卸供給事業の届出時に満たされていない場合は、"
    "変更命令等の対象となる。変更命令等の根拠条項（電気事業法第27条の30の後段の項と推定）は"
    "出典未確認。"
)
LOWER_AGGREGATOR_BASIS = (
    f"{CRITERION_SOURCE}「下位のアグリゲーターとの関係」：最上位のアグリゲーターに対し、下位の"
    "アグリゲーターに求めるセキュリティ対策要件の策定を求め、アグリゲーター間の契約により担保"
    "されるサイバー対策の水準を届出時に確認する。ERABガイドラインの勧告事項相当の対策が求められて"
    "いないと認められる場合は、最上位のアグリゲーターに対する変更命令等の対象となる。"
    "根拠条項は出典未確認。"
)
INQUIRY_BASIS = (
    "勧告事項の実施状況は社内規定等・システム構成図等の証跡で示すことが求められる"
    "（「特定卸供給事業に係るサイバーセキュリティ確保の指針」、二次資料による・出典未確認）。"
    "命令の根拠ではなく、届出者への照会の候補。"
)
START_DATE_BASIS = (
    "届出の受理後30日を経過した後でなければ事業を開始できない（電気事業法第27条の30第3項、"
    "二次資料による・出典未確認。基準資料には記載がない）。事業開始時点で未対応となる勧告事項が"
    "ないかの照会の候補。"
)
REFERENCE_BASIS = (
    "基準外の参考項目：基準資料に記載がなく、未実施であっても変更命令等の根拠とならない"
    "（参考指摘）。"
)
IMPROVEMENT_ORDER_BASIS = (
    f"{CRITERION_SOURCE}：届出後の業務実施中に、特定卸供給事業者のサイバー対策が不十分であり、"
    "これによって電力供給に支障が生じ、又は生ずるおそれがあるときは、「特定卸供給事業の運営が適切"
    "でないため、電気の使用者の利益の保護又は電気事業の健全な発達に支障が生じ、又は生ずるおそれが"
    "あると認めるとき」に該当し、業務改善命令の対象となる。特定卸供給事業に係る業務改善命令の"
    "条番号は出典未確認（小売電気事業の同旨規定は電気事業法第2条の17第1項）。"
)
INCIDENT_INQUIRY_BASIS = (
    "業務改善命令の要件（対策の不十分さと、それによる電力供給への支障又はそのおそれ）を判断する"
    "ための事実確認として、届出者への照会の候補。命令の根拠ではない。"
)

# English versions of the bases, for reading in English only: the Japanese text is the record (it
# is what the PDFs print), and the English says so.
_ENGLISH_SOURCE = (
    "“Criteria for change orders etc. on aggregator (特定卸供給事業) notifications” "
    "(8th meeting of the Subcommittee on Building a Sustainable Electricity System, "
    "December 2020)"
)
BASES_IN_ENGLISH = {
    CHANGE_ORDER_BASIS: f"{_ENGLISH_SOURCE}: a recommended item of the power control system "
    "security guideline or the ERAB cybersecurity guideline that is not met when the notification "
    "is filed is subject to a change order etc. The article of the order (presumed the latter "
    "paragraph of Article 27-30 of the Electricity Business Act) is unverified.",
    LOWER_AGGREGATOR_BASIS: f"{_ENGLISH_SOURCE}, “Relation with lower-level aggregators”: the "
    "top-level aggregator must define the security requirements it imposes on lower-level "
    "aggregators, and the level secured by their contracts is checked at filing. Where measures "
    "equivalent to the ERAB recommended items are not required, the top-level aggregator is "
    "subject to a change order etc. The article is unverified.",
    INQUIRY_BASIS: "How the recommended items are implemented is to be shown with evidence such as "
    "internal rules and system diagrams (secondary source, unverified). Not a ground for an order: "
    "a candidate for an inquiry to the filer.",
    START_DATE_BASIS: "Business may start only after 30 days from the acceptance of the "
    "notification (Article 27-30(3) of the Electricity Business Act, secondary source, unverified; "
    "not in the criteria document). A candidate for an inquiry about items not covered at the "
    "start.",
    REFERENCE_BASIS: "A reference item outside the criteria: not in the criteria document; even "
    "when not implemented it is no ground for a change order (reference finding).",
    IMPROVEMENT_ORDER_BASIS: f"{_ENGLISH_SOURCE}: where, during operation after the notification, "
    "the aggregator's cybersecurity measures are insufficient and electricity supply is or may be "
    "impeded by it, the case falls under “the business is not run properly, so that the protection "
    "of users' interests or the sound development of the electricity business is or may be "
    "impeded”, and is subject to a business improvement order. The article for aggregators is "
    "unverified (the same provision for retail is Article 2-17(1) of the Act).",
    INCIDENT_INQUIRY_BASIS: "A candidate for an inquiry to the filer, to establish the facts for "
    "the requirements of a business improvement order (insufficient measures, and supply impeded "
    "or at risk as a result). Not a ground for an order.",
}


def english_basis(basis: str) -> str:
    """The English reading of a Japanese basis, marked as a translation ("" if there is none)."""
    english = BASES_IN_ENGLISH.get(basis)
    return f"[Translation of the Japanese basis, which is the record] {english}" if english else ""


IMPACT = {"disrupted", "at_risk"}


@dataclass(frozen=True)
class FlagSpec:
    kind: str  # Flag.Kind value
    rule: str
    item_code: str
    item_title: str
    finding: str
    legal_basis: str
    basis_verified: bool = False


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
            CHANGE_ORDER_BASIS,
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
            CHANGE_ORDER_BASIS,
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
            INQUIRY_BASIS,
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
            START_DATE_BASIS,
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
            LOWER_AGGREGATOR_BASIS,
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
            REFERENCE_BASIS,
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
    return [FlagSpec("improvement_order", rule, "", "", " ".join(parts), IMPROVEMENT_ORDER_BASIS)]


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
            INCIDENT_INQUIRY_BASIS,
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
            INCIDENT_INQUIRY_BASIS,
        )
    ]


INCIDENT_RULES = (incident_supply_impact, incident_related_items_unmet, incident_without_filing)


def run_incident_rules(facts: IncidentFacts, snapshot: dict | None) -> list[FlagSpec]:
    return [spec for rule in INCIDENT_RULES for spec in rule(facts, snapshot)]
