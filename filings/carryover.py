"""Carry-over: how a filing's answers move to the next catalogue version through the mapping.

``plan`` is a pure function of the mapping and the old answers (one rule per relation, below);
the preview shows it and ``filings.services.move_filing`` writes it. Reading and writing cost a
fixed number of queries whatever the number of items.

The rules (the issue's, one per relation):
- same, reworded: the answer is carried over (前版から引継ぎ);
- split: the answer is copied to each part (前版から引継ぎ);
- merged, narrowed, broadened: carried over as 要確認; merged answers that differ are never
  reduced to one: the status stays empty and each old answer is quoted under its code;
- new: starts empty;
- removed: the answer stays on the record, read-only (left behind, not carried).
Evidence links follow their answer. A target answer that already has content is never touched.
Every carried answer is unconfirmed until the filer confirms it; submission waits for that.
"""

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from checklists.models import Catalogue, ItemRelation, Relation
from filings.models import Answer, Filing, RequirementCoverage

CARRIED = {Relation.SAME, Relation.REWORDED, Relation.SPLIT}
TO_CHECK = {Relation.MERGED, Relation.NARROWED, Relation.BROADENED}
CONTENT = ("status", "implementation", "justification", "target_date")


@dataclass(frozen=True)
class OldAnswer:
    """An answer to an item of the version the filing leaves (plain values, no model)."""

    item_id: int
    code: str
    status: str = ""
    implementation: str = ""
    justification: str = ""
    target_date: date | None = None
    evidence: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.status
            or self.implementation
            or self.justification
            or self.target_date
            or self.evidence
        )

    def content(self) -> tuple:
        return tuple(getattr(self, name) for name in CONTENT)


@dataclass
class Carry:
    """What one item of the new version receives."""

    item_id: int
    relation: str
    state: str = ""  # Answer.Carry value: "carried", "check" or "" (nothing carried)
    values: dict = field(default_factory=dict)  # status, implementation, ... when carried
    evidence: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()  # codes of the old items it comes from
    conflict: bool = False  # merged answers that differ: nothing chosen
    kept: bool = False  # the target already had content: left as typed
    old_ids: tuple[int, ...] = ()  # every old counterpart, answered or not

    @property
    def carries(self) -> bool:
        return bool(self.state)


@dataclass
class Plan:
    carries: list[Carry]
    removed: list[OldAnswer]  # answers to removed items, kept read-only

    @property
    def carried(self) -> list[Carry]:
        return [c for c in self.carries if c.carries]

    @property
    def conflicts(self) -> list[Carry]:
        return [c for c in self.carries if c.conflict]

    def sources_of(self, item_id: int) -> tuple[int, ...]:
        if not hasattr(self, "_sources"):
            self._sources = {c.item_id: c.old_ids for c in self.carries}
        return self._sources.get(item_id, ())


def _merge(sources: list[OldAnswer]) -> tuple[dict, bool]:
    """One answer from several: the common one, or none at all with each quoted (conflict)."""
    answered = [s for s in sources if not s.is_empty]
    if len({s.content() for s in answered}) <= 1:
        first = answered[0]
        return {name: getattr(first, name) for name in CONTENT}, False
    status_names = dict(Answer.Status.choices)

    def quote(name: str) -> str:
        return "\n".join(
            f"[{s.code}：{status_names.get(s.status, '—')}] {getattr(s, name)}"
            for s in answered
            if getattr(s, name)
        )

    values = {
        "status": "",
        "implementation": quote("implementation"),
        "justification": quote("justification"),
        "target_date": None,
    }
    return values, True


def plan(
    *,
    relations: Sequence[tuple[int | None, int | None, str]],
    old_answers: dict[int, OldAnswer],
    typed: Set[int] = frozenset(),
) -> Plan:
    """``relations`` are (new item id, old item id, relation); ``old_answers`` by old item id;
    ``typed`` are new items whose answer already has content (never overwritten)."""
    by_new: dict[int, list[tuple[int | None, str]]] = {}
    removed = []
    for new_id, old_id, relation in relations:
        if new_id is None:
            if old_id in old_answers and not old_answers[old_id].is_empty:
                removed.append(old_answers[old_id])
            continue
        by_new.setdefault(new_id, []).append((old_id, relation))
    carries = []
    for new_id, edges in by_new.items():
        relation = edges[0][1]
        carry = Carry(new_id, relation, old_ids=tuple(o for o, _r in edges if o is not None))
        carries.append(carry)
        sources = [old_answers[o] for o, _r in edges if o in old_answers]
        answered = [s for s in sources if not s.is_empty]
        if relation == Relation.NEW or not answered:
            continue
        if new_id in typed:
            carry.kept = True
            continue
        carry.values, carry.conflict = _merge(answered)
        carry.state = "carried" if relation in CARRIED else "check"
        carry.evidence = tuple(sorted({pk for s in answered for pk in s.evidence}))
        carry.sources = tuple(s.code for s in answered)
    return Plan(carries, removed)


# --- reading a filing --------------------------------------------------------------------------
def next_version(filing: Filing) -> Catalogue | None:
    """The version a draft may move to: the current one, when it is based on the filing's."""
    current = Catalogue.objects.current()
    if (
        filing.is_draft
        and current is not None
        and current.pk != filing.catalogue_id
        and current.based_on_id == filing.catalogue_id
    ):
        return current
    return None


def relation_rows(catalogue: Catalogue) -> list[tuple[int | None, int | None, str]]:
    return list(
        ItemRelation.objects.filter(catalogue=catalogue).values_list(
            "new_item_id", "old_item_id", "relation"
        )
    )


def old_answers(filing: Filing) -> dict[int, OldAnswer]:
    """The filing's answers to its current version, with their evidence ids (two queries)."""
    links: dict[int, list[int]] = {}
    for answer_id, evidence_id in Answer.evidence.through.objects.filter(
        answer__filing=filing, answer__moved_by__isnull=True
    ).values_list("answer_id", "evidence_id"):
        links.setdefault(answer_id, []).append(evidence_id)
    return {
        row["item_id"]: OldAnswer(
            item_id=row["item_id"],
            code=row["item__code"],
            status=row["status"],
            implementation=row["implementation"],
            justification=row["justification"],
            target_date=row["target_date"],
            evidence=tuple(sorted(links.get(row["id"], ()))),
        )
        for row in filing.answers.values("id", "item_id", "item__code", *CONTENT)
    }


def preview(filing: Filing, target: Catalogue) -> Plan:
    return plan(relations=relation_rows(target), old_answers=old_answers(filing))


def carried_label(state: str) -> str:
    return str(dict(Answer.Carry.choices).get(state, "")) or _("Not carried over")


# --- writing (called by filings.services.move_filing only) -----------------------------------
def new_answer(filing: Filing, item_id: int, carry: Carry | None, actor) -> Answer:
    if carry is None or not carry.carries:
        return Answer(filing=filing, item_id=item_id)
    return Answer(
        filing=filing,
        item_id=item_id,
        carry_state=carry.state,
        carried_from="、".join(carry.sources),
        updated_by=actor,
        **carry.values,
    )


def new_coverage(filing: Filing, item_id: int, old: dict, the_plan: Plan):
    """Coverage follows the mapping too: covered only when every old counterpart was."""
    sources = [old[i] for i in the_plan.sources_of(item_id) if i in old]
    return RequirementCoverage(
        filing=filing,
        item_id=item_id,
        covered=bool(sources) and all(row.covered for row in sources),
        clause_reference="、".join(
            dict.fromkeys(row.clause_reference for row in sources if row.clause_reference)
        )[:200],
    )


def audit_data(move, the_plan: Plan) -> dict:
    return {
        "from": move.from_catalogue.version,
        "to": move.to_catalogue.version,
        "carried": len(the_plan.carried),
        "to_check": sum(c.state == "check" for c in the_plan.carries),
        "conflicts": ["+".join(c.sources) for c in the_plan.conflicts],
        "left_on_removed_items": [answer.code for answer in the_plan.removed],
    }


def item_order(item) -> tuple:
    """Criterion items by category, then reference items (the checklist's order)."""
    return (not item.is_criterion, item.category.order if item.is_criterion else 0, item.order)
