"""The audit log's hash chain: each event carries the SHA-256 of the previous event's hash and of
its own content, so that editing, deleting, inserting or reordering rows in the database breaks the
chain at a row that `verify_chain` names.

Pure functions over plain rows (dicts of column values), so that the data migration, the model's
``record`` and the verification share one definition of the hash without importing the model.
What the chain cannot show by itself: rows removed from its end, or events appended by someone who
recomputes the hashes. The head hash printed in every signed report is the outside anchor for
those (``manage.py verify_audit_log --anchor ID:HASH``).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

GENESIS = "0" * 64
# The columns hashed; the id is one of them, so a row cannot be moved to another place in the chain.
CONTENT_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "summary",
    "data",
    "ip_address",
)
CHAIN_FIELDS = (*CONTENT_FIELDS, "prev_hash", "hash")
# pg_advisory_xact_lock key of the chain head (any constant unused elsewhere: "AUDITLOG" in ASCII).
CHAIN_LOCK_KEY = 0x4155_4449_544C_4F47


def canonical_content(*, row: Mapping[str, Any]) -> bytes:
    """The event's content as canonical JSON: sorted keys, no spaces, UTF-8, time in UTC."""
    content = {field: row[field] for field in CONTENT_FIELDS}
    content["created_at"] = row["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def event_hash(*, prev_hash: str, row: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_content(row=row)).hexdigest()


@dataclass
class ChainState:
    """Where a walk along the chain ended: the last intact event, or the first broken one."""

    count: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    broken_id: int | None = None


def walk_chain(*, rows: Iterable[Mapping[str, Any]]) -> ChainState:
    """Follow rows in id order (with CHAIN_FIELDS); stop at the first one that does not link to its
    predecessor (a row deleted, inserted or moved before it) or whose content does not match its
    hash (a row edited)."""
    state = ChainState()
    for row in rows:
        intact = row["prev_hash"] == state.head_hash and row["hash"] == event_hash(
            prev_hash=row["prev_hash"], row=row
        )
        if not intact:
            state.broken_id = row["id"]
            return state
        state.count += 1
        state.head_id, state.head_hash = row["id"], row["hash"]
    return state
