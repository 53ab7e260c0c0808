"""The change list (変更内容) of a change notification: two snapshots compared, section by section.

A pure function of two snapshot dicts, so the same list appears on the pages, before submission
(against a draft's would-be snapshot) and in the filing report."""

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from checklists.models import ItemRelation, Relation
from filings.models import (
    Answer,
    Evidence,
    Filing,
    LowerAggregator,
    RequirementCoverage,
)
from filings.snapshots import build_snapshot
from filings.templatetags.filing_dates import snapshot_date

HEADER_FIELDS = Filing.FACT_FIELDS  # the snapshot's "filing" facts a change may change
CHOICES = {
    "chain_role": dict(Filing.ChainRole.choices),
    "importance_class": dict(Filing.ImportanceClass.choices),
    "status": dict(Answer.Status.choices),
}
DATES = {"planned_start_date", "target_date", "contract_date"}
YES_NO = {"uses": (_("Yes"), _("No")), "covered": (_("Yes"), _("No"))}


def _verbose(model, name: str):
    return model._meta.get_field(name).verbose_name


LABELS = {
    "organisation": _verbose(Filing, "organisation"),
    "address": _verbose(Organisation, "address"),
    **{name: _verbose(Filing, name) for name in HEADER_FIELDS},
    "uses": _verbose(Filing, "uses_lower_aggregators"),
    **{name: _verbose(Answer, name) for name in (*Answer.CONTENT_FIELDS, "evidence")},
    "name": _verbose(LowerAggregator, "name"),
    "contract_date": _verbose(LowerAggregator, "contract_date"),
    "covered": _verbose(RequirementCoverage, "covered"),
    "clause_reference": _verbose(RequirementCoverage, "clause_reference"),
}


@dataclass(frozen=True)
class FieldChange:
    """One field, before and after, as stored in the snapshots; shown through label and text."""

    field: str
    old: object
    new: object

    @property
    def label(self) -> str:
        return capfirst(LABELS.get(self.field, self.field))

    @property
    def old_text(self) -> str:
        return _text(self.field, self.old)

    @property
    def new_text(self) -> str:
        return _text(self.field, self.new)


def _text(name: str, value) -> str:
    """A snapshot value the way pages and reports show it (active language, JST dates)."""
    if value is None or value == "" or value == []:
        return str(_("Not answered")) if name in {"status", "uses"} else "—"
    if name in YES_NO:
        return str(YES_NO[name][0] if value else YES_NO[name][1])
    if name in CHOICES:
        return str(CHOICES[name].get(value, value))
    if name in DATES:
        return snapshot_date(value)
    if name == "expected_capacity_kw":
        return f"{value:,} kW"
    if isinstance(value, list | tuple):
        return "、".join(str(part) for part in value)
    return str(value)


@dataclass(frozen=True)
class ItemChange:
    code: str
    title_ja: str
    change: str  # "added", "removed" or "changed"
    fields: tuple[FieldChange, ...] = ()
    relation: str = ""  # across catalogue versions: the mapping's relation (checklists.Relation)
    old_codes: tuple[str, ...] = ()  # across versions: the items of the amended filing's version

    @property
    def relation_label(self) -> str:
        return str(Relation(self.relation).label) if self.relation else ""


@dataclass(frozen=True)
class EvidenceChange:
    change: str  # "added" or "removed"
    name: str
    sha256: str
    kind: str

    @property
    def kind_label(self) -> str:
        return str(dict(Evidence.Kind.choices).get(self.kind, self.kind))


@dataclass(frozen=True)
class LowerChange:
    corporate_number: str
    name: str
    change: str  # "added", "removed" or "changed"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class CoverageChange:
    code: str
    title_ja: str
    change: str  # "added", "removed" (with the catalogue version) or "changed"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ChangeList:
    """変更内容: what a change notification changes, section by section."""

    header: tuple[FieldChange, ...] = ()
    items: tuple[ItemChange, ...] = ()
    evidence: tuple[EvidenceChange, ...] = ()
    lower_aggregators: tuple[LowerChange, ...] = ()
    coverage: tuple[CoverageChange, ...] = ()
    SECTIONS: ClassVar = ("header", "items", "evidence", "lower_aggregators", "coverage")

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.SECTIONS)

    @property
    def count(self) -> int:
        return sum(len(getattr(self, name)) for name in self.SECTIONS)


def _fields(old: dict, new: dict, names) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    )


def _header_changes(old: dict, new: dict) -> tuple[FieldChange, ...]:
    old_org, new_org = old.get("organisation", {}), new.get("organisation", {})
    organisation = tuple(
        FieldChange(name, old_org.get(key), new_org.get(key))
        for name, key in (("organisation", "name"), ("address", "address"))
        if old_org.get(key) != new_org.get(key)
    )
    header = _fields(old.get("filing", {}), new.get("filing", {}), HEADER_FIELDS)
    uses = _fields(old.get("lower_aggregators", {}), new.get("lower_aggregators", {}), ["uses"])
    return organisation + header + uses


def _item_changes(old: dict, new: dict) -> tuple[ItemChange, ...]:
    old_items = {entry["code"]: entry for entry in old.get("items", [])}
    new_items = {entry["code"]: entry for entry in new.get("items", [])}
    old_names = {file["id"]: file["name"] for file in old.get("evidence", [])}
    new_names = {file["id"]: file["name"] for file in new.get("evidence", [])}
    changes = []
    for code, entry in new_items.items():
        previous = old_items.get(code)
        if previous is None:
            changes.append(ItemChange(code, entry["title_ja"], "added"))
            continue
        fields = _fields(previous, entry, Answer.CONTENT_FIELDS)
        old_files = sorted(old_names[pk] for pk in previous["evidence"] if pk in old_names)
        new_files = sorted(new_names[pk] for pk in entry["evidence"] if pk in new_names)
        if old_files != new_files:
            fields += (FieldChange("evidence", old_files, new_files),)
        if fields:
            changes.append(ItemChange(code, entry["title_ja"], "changed", fields))
    changes.extend(
        ItemChange(code, entry["title_ja"], "removed")
        for code, entry in old_items.items()
        if code not in new_items
    )
    return tuple(changes)


def _evidence_changes(old: dict, new: dict) -> tuple[EvidenceChange, ...]:
    """Files by name and SHA-256 (a change notification copies the files under new ids)."""

    def files(snapshot: dict) -> Counter[tuple[str, str]]:
        return Counter((f["name"], f["sha256"]) for f in snapshot.get("evidence", []))

    kinds = {(f["name"], f["sha256"]): f.get("kind", "") for f in old.get("evidence", [])}
    kinds.update({(f["name"], f["sha256"]): f.get("kind", "") for f in new.get("evidence", [])})
    before, after = files(old), files(new)
    added = [
        EvidenceChange("added", *key, kinds[key]) for key in sorted((after - before).elements())
    ]
    removed = [
        EvidenceChange("removed", *key, kinds[key]) for key in sorted((before - after).elements())
    ]
    return tuple(added + removed)


def _lower_changes(old: dict, new: dict) -> tuple[LowerChange, ...]:
    def rows(snapshot):
        lower = snapshot.get("lower_aggregators", {})
        return {row["corporate_number"]: row for row in lower.get("aggregators", [])}

    before, after = rows(old), rows(new)
    changes = []
    for number, row in after.items():
        if number not in before:
            changes.append(LowerChange(number, row["name"], "added"))
        elif fields := _fields(before[number], row, ("name", "contract_date")):
            changes.append(LowerChange(number, row["name"], "changed", fields))
    changes.extend(
        LowerChange(number, row["name"], "removed")
        for number, row in before.items()
        if number not in after
    )
    return tuple(changes)


def _coverage_changes(old: dict, new: dict) -> tuple[CoverageChange, ...]:
    def rows(snapshot):
        lower = snapshot.get("lower_aggregators", {})
        return {row["item"]: row for row in lower.get("coverage", [])}

    before, after = rows(old), rows(new)
    changes = []
    for code, row in after.items():
        if code not in before:
            changes.append(CoverageChange(code, row["title_ja"], "added"))
        elif fields := _fields(before[code], row, ("covered", "clause_reference")):
            changes.append(CoverageChange(code, row["title_ja"], "changed", fields))
    changes.extend(
        CoverageChange(code, row["title_ja"], "removed")
        for code, row in before.items()
        if code not in after
    )
    return tuple(changes)


Mapping = list[tuple[str | None, str | None, str]]  # (old code, new code, relation)


def _mapped_item_changes(old: dict, new: dict, mapping: Mapping) -> tuple[ItemChange, ...]:
    """Across catalogue versions: each new item beside the old items it maps from, with the
    relation, instead of a wall of removed and added items."""
    old_items = {entry["code"]: entry for entry in old.get("items", [])}
    old_names = {file["id"]: file["name"] for file in old.get("evidence", [])}
    new_names = {file["id"]: file["name"] for file in new.get("evidence", [])}
    sources: dict[str, list[tuple[str | None, str]]] = {}
    for old_code, new_code, relation in mapping:
        if new_code is not None:
            sources.setdefault(new_code, []).append((old_code, relation))
    changes = []
    for entry in new.get("items", []):
        edges = sources.get(entry["code"], [(None, Relation.NEW)])
        relation = edges[0][1]
        previous = [old_items[code] for code, _r in edges if code in old_items]
        codes = tuple(code for code, _r in edges if code)
        if not previous:
            changes.append(ItemChange(entry["code"], entry["title_ja"], "added", (), relation))
            continue
        fields = tuple(
            FieldChange(name, _joined([p.get(name) for p in previous]), entry.get(name))
            for name in Answer.CONTENT_FIELDS
            if any(p.get(name) != entry.get(name) for p in previous)
        )
        old_files = sorted(
            old_names[pk] for p in previous for pk in p["evidence"] if pk in old_names
        )
        new_files = sorted(new_names[pk] for pk in entry["evidence"] if pk in new_names)
        if sorted(set(old_files)) != new_files:
            fields += (FieldChange("evidence", sorted(set(old_files)), new_files),)
        if fields or relation != Relation.SAME:
            changes.append(
                ItemChange(entry["code"], entry["title_ja"], "changed", fields, relation, codes)
            )
    changes.extend(
        ItemChange(old_code, old_items[old_code]["title_ja"], "removed", (), relation)
        for old_code, new_code, relation in mapping
        if new_code is None and old_code is not None and old_code in old_items
    )
    return tuple(changes)


def _joined(values: list):
    distinct = list(dict.fromkeys(v for v in values if v not in (None, "")))
    return distinct[0] if len(distinct) == 1 else distinct or None


def version_mapping(old: dict, new: dict) -> Mapping | None:
    """The mapping between the two snapshots' catalogue versions (None on the same version)."""
    old_version = old.get("catalogue", {}).get("version")
    new_version = new.get("catalogue", {}).get("version")
    if old_version == new_version:
        return None
    return list(
        ItemRelation.objects.filter(
            catalogue__version=new_version, catalogue__based_on__version=old_version
        ).values_list("old_item__code", "new_item__code", "relation")
    )


def compare_snapshots(old: dict, new: dict, mapping: Mapping | None = None) -> ChangeList:
    """The change list between two snapshots (the amended filing's and the change notification's):
    header, answers, evidence files, lower-level aggregators and their requirement coverage;
    across catalogue versions, the answers through the ``mapping`` between them."""
    items = _mapped_item_changes(old, new, mapping) if mapping else _item_changes(old, new)
    return ChangeList(
        header=_header_changes(old, new),
        items=items,
        evidence=_evidence_changes(old, new),
        lower_aggregators=_lower_changes(old, new),
        coverage=_coverage_changes(old, new),
    )


def change_notification_changes(filing: Filing, user) -> tuple[dict, dict, ChangeList] | None:
    """A change notification against the submission it amends; a draft as it stands now (a
    snapshot-like dict built for the comparison, never stored). None for a new notification."""
    if filing.amends is None:
        return None
    old = filing.amends.submission.snapshot
    if filing.is_draft:
        new = build_snapshot(
            filing=filing, receipt_number="", submitted_at=timezone.now(), submitted_by=user
        )
    else:
        new = filing.submission.snapshot
    return old, new, compare_snapshots(old, new, version_mapping(old, new))
