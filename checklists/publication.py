"""What publishing a draft catalogue version changes, shown before the admin confirms: the draft
against the version it was copied from, item by item, in the interchange format's terms."""

from typing import Any

from checklists.interchange import catalogue_to_document
from checklists.models import Catalogue


def _items(catalogue: Catalogue | None) -> dict[str, dict]:
    if catalogue is None:
        return {}
    return {item["code"]: item for item in catalogue_to_document(catalogue)["items"]}


def draft_changes(draft: Catalogue) -> list[dict]:
    """Items added, removed, or changed (with each changed field's old and new value)."""
    old, new = _items(draft.based_on), _items(draft)
    changes: list[dict[str, Any]] = []
    for code in [*new, *(code for code in old if code not in new)]:
        if code not in old:
            changes.append({"code": code, "change": "added", "fields": []})
        elif code not in new:
            changes.append({"code": code, "change": "removed", "fields": []})
        else:
            fields = [
                {"name": name, "old": old[code].get(name), "new": new[code].get(name)}
                for name in sorted(old[code].keys() | new[code].keys())
                if old[code].get(name) != new[code].get(name)
            ]
            if fields:
                changes.append({"code": code, "change": "changed", "fields": fields})
    return changes
