"""What a draft version of the legal bases changes against the current published version, for the
admin's confirmation before publishing: bases added, removed, and each changed field."""

from dataclasses import dataclass, field

from legal.interchange import BASIS_FIELDS, MATTER_FIELDS
from legal.models import BasisSet, LegalBasis, NotifiedMatter


@dataclass
class Change:
    kind: str  # "added", "removed" or "changed"
    key: str  # a basis code, or 「届出事項 N」
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


def _rows(basis_set: BasisSet | None) -> tuple[dict, dict]:
    if basis_set is None:
        return {}, {}
    bases = {b.code: {f: getattr(b, f) for f in BASIS_FIELDS} for b in basis_set.bases.all()}
    matters = {
        f"届出事項 {m.label}": {f: str(getattr(m, f)) for f in MATTER_FIELDS}
        for m in basis_set.matters.all()
    }
    return bases, matters


def _label(name: str) -> str:
    model = LegalBasis if name in BASIS_FIELDS else NotifiedMatter
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _compare(before: dict, after: dict) -> list[Change]:
    changes = [Change("added", key) for key in after if key not in before]
    changes += [Change("removed", key) for key in before if key not in after]
    for key in after.keys() & before.keys():
        fields = [
            (_label(name), str(before[key][name]), str(after[key][name]))
            for name in after[key]
            if before[key][name] != after[key][name]
        ]
        if fields:
            changes.append(Change("changed", key, fields))
    return sorted(changes, key=lambda change: (change.kind, change.key))


def differences(draft: BasisSet, current: BasisSet | None) -> list[Change]:
    """Every difference of ``draft`` from ``current`` (the newest published version)."""
    draft_bases, draft_matters = _rows(draft)
    current_bases, current_matters = _rows(current)
    return _compare(current_bases, draft_bases) + _compare(current_matters, draft_matters)
