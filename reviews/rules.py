"""Flag rules: one function per rule, each with its legal basis beside it.

Rules read a submission's snapshot (what was filed), never live rows, so a flag can always be traced
to the filed record. Each returns FlagSpecs; ``open_review`` stores them.

Legal-basis texts say plainly where an article number is unverified (see
../shared/reference/guidelines.md §A.1): the portal shows 「条番号未確認」 instead of asserting it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from filings.models import Answer

CHANGE_ORDER_BASIS = (
    "電気事業法第27条の30第1項（特定卸供給事業の届出）に基づく届出について、"
    "「特定卸供給事業（アグリゲーター）届出に係る変更命令等の基準」（第8回持続可能な電力システム構築"
    "小委員会、2020年12月）：電力制御システムセキュリティガイドライン及びERABに関するサイバーセキュリティ"
    "ガイドラインの勧告事項が届出時に満たされていない場合は変更命令等の対象。"
    "変更命令等の根拠条項（同条の後段の項と推定）は条番号未確認。"
)
LOWER_AGGREGATOR_BASIS = (
    "同基準「下位のアグリゲーターとの関係」：最上位のアグリゲーターに対し下位のアグリゲーターに求める"
    "セキュリティ対策要件の策定を求め、ERABガイドラインの勧告事項相当の対策が求められていないと"
    "認められる場合は、最上位のアグリゲーターに対する変更命令等又は業務改善命令の対象。"
    "根拠条項は条番号未確認。"
)
INQUIRY_BASIS = (
    "勧告事項の実施状況は社内規定等・システム構成図等の証跡で示すことが求められる"
    "（特定卸供給事業に係るサイバーセキュリティ確保の指針、二次資料による）。証跡がないため照会を推奨。"
)
ADVISORY_BASIS = (
    "推奨事項・基準外の項目：未実施であっても、それだけでは命令の根拠とならない（参考指摘）。"
)
IMPROVEMENT_ORDER_BASIS = (
    "業務改善命令：「特定卸供給事業の運営が適切でないため、電気の使用者の利益の保護又は電気事業の"
    "健全な発達に支障が生じ、又は生ずるおそれがあると認めるとき」（第8回持続可能な電力システム構築"
    "小委員会の整理による）。特定卸供給事業に係る業務改善命令の条番号は未確認"
    "（小売電気事業の同旨規定は電気事業法第2条の17第1項）。"
)

UNMET = {"partial", "not_implemented"}


@dataclass(frozen=True)
class FlagSpec:
    kind: str  # Flag.Kind value
    rule: str
    item_code: str
    item_title: str
    finding: str
    legal_basis: str
    basis_verified: bool = False


def required_item_unmet(snapshot: dict) -> list[FlagSpec]:
    """A required (勧告) item answered 未実施 or 一部実施 → change-order candidate."""
    return [
        FlagSpec(
            "change_order",
            "required_item_unmet",
            entry["code"],
            entry["title_ja"],
            str(_("Answered “%(status)s”: %(text)s"))
            % {"status": _status_label(entry["status"]), "text": entry["implementation"] or "—"},
            CHANGE_ORDER_BASIS,
        )
        for entry in snapshot["items"]
        if entry["required"] and entry["status"] in UNMET
    ]


def required_item_not_applicable(snapshot: dict) -> list[FlagSpec]:
    """A required item answered 該当なし where the catalogue does not allow it, or unjustified."""
    flags = []
    for entry in snapshot["items"]:
        if not entry["required"] or entry["status"] != "not_applicable":
            continue
        if not entry["allows_not_applicable"]:
            finding = str(_("Answered “not applicable”, which this item does not allow."))
        elif not entry["justification"].strip():
            finding = str(_("Answered “not applicable” without a justification."))
        else:
            continue
        flags.append(
            FlagSpec(
                "change_order",
                "required_item_not_applicable",
                entry["code"],
                entry["title_ja"],
                finding,
                CHANGE_ORDER_BASIS,
            )
        )
    return flags


def implemented_without_evidence(snapshot: dict) -> list[FlagSpec]:
    """A required item answered 実施済 with no evidence → an inquiry suggestion, not a candidate."""
    return [
        FlagSpec(
            "inquiry",
            "implemented_without_evidence",
            entry["code"],
            entry["title_ja"],
            str(_("Answered “implemented” with no evidence attached.")),
            INQUIRY_BASIS,
        )
        for entry in snapshot["items"]
        if entry["required"] and entry["status"] == "implemented" and not entry["evidence"]
    ]


def lower_requirements_insufficient(snapshot: dict) -> list[FlagSpec]:
    """Lower-level aggregators declared, but their requirement set does not cover every ERAB
    recommended item, or no requirement document is attached → candidate against the filer."""
    lower = snapshot["lower_aggregators"]
    if not lower["uses"]:
        return []
    problems = [
        str(_("No equivalent requirement for %(code)s %(title)s."))
        % {"code": row["item"], "title": row["title_ja"]}
        for row in lower["coverage"]
        if not row["covered"]
    ]
    if not any(file["kind"] == "lower_requirements" for file in snapshot["evidence"]):
        problems.append(str(_("No requirement document for lower-level aggregators is attached.")))
    if not problems:
        return []
    item = next((e for e in snapshot["items"] if e["lower_aggregator_requirement"]), None)
    return [
        FlagSpec(
            "change_order",
            "lower_requirements_insufficient",
            item["code"] if item else "",
            item["title_ja"] if item else "",
            " ".join(problems),
            LOWER_AGGREGATOR_BASIS,
        )
    ]


def _unmet(entry: dict) -> bool:
    """Not (fully) implemented, or 該当なし where the catalogue does not allow it."""
    return entry["status"] in UNMET or (
        entry["status"] == "not_applicable" and not entry["allows_not_applicable"]
    )


def advisory_item_unmet(snapshot: dict) -> list[FlagSpec]:
    """An advisory (推奨 / beyond-seed) item unmet → advisory note only."""
    return [
        FlagSpec(
            "advisory",
            "advisory_item_unmet",
            entry["code"],
            entry["title_ja"],
            str(_("Answered “%(status)s”.")) % {"status": _status_label(entry["status"])},
            ADVISORY_BASIS,
        )
        for entry in snapshot["items"]
        if not entry["required"] and _unmet(entry)
    ]


FILING_RULES = (
    required_item_unmet,
    required_item_not_applicable,
    implemented_without_evidence,
    lower_requirements_insufficient,
    advisory_item_unmet,
)


def run_filing_rules(snapshot: dict) -> list[FlagSpec]:
    return [spec for rule in FILING_RULES for spec in rule(snapshot)]


def incident_rules(
    *, supply_impact: str, related: list[dict], snapshot: dict | None
) -> list[FlagSpec]:
    """During operation: an incident with a supply impact, or whose related items were unmet or
    insufficient in the latest filing → business-improvement-order candidate."""
    flags = []
    if supply_impact in {"disrupted", "at_risk"}:
        label = _("supply disrupted") if supply_impact == "disrupted" else _("supply at risk")
        flags.append(
            FlagSpec(
                "improvement_order",
                "incident_supply_impact",
                "",
                "",
                str(_("The incident report states: %(impact)s.")) % {"impact": label},
                IMPROVEMENT_ORDER_BASIS,
            )
        )
    filed = {entry["code"]: entry for entry in (snapshot or {"items": []})["items"]}
    for item in related:
        entry = filed.get(item["code"])
        if entry is None or not entry["status"] or _unmet(entry):
            status = _status_label(entry["status"]) if entry else _("not in the latest filing")
            flags.append(
                FlagSpec(
                    "improvement_order",
                    "incident_item_insufficient",
                    item["code"],
                    item["title_ja"],
                    str(_("Related to the incident; in the latest filing: %(status)s."))
                    % {"status": status},
                    IMPROVEMENT_ORDER_BASIS,
                )
            )
    return flags


def _status_label(status: str) -> str:
    return str(dict(Answer.Status.choices).get(status, status or "—"))
