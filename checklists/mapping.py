"""The mapping between versions as a whole: proposed, checked, and read as a per-item diff.

``ItemRelation`` rows are the data; this module reads them for many items at once, in a fixed
number of queries whatever the size of the catalogue."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from checklists.models import BOTH_SIDES, ONE_TO_ONE, Catalogue, Item, ItemRelation, Relation

# What makes two items "the same text": what a filer reads and what the rules read.
TEXT_FIELDS = ("title_ja", "title_en", "requirement_ja", "requirement_en")
RULE_FIELDS = (
    "is_criterion",
    "allows_not_applicable",
    "lower_aggregator_requirement",
    "lower_coverage_required",
)


def same_text(old: Item, new: Item) -> bool:
    return all(getattr(old, name) == getattr(new, name) for name in TEXT_FIELDS + RULE_FIELDS)


def proposals(catalogue: Catalogue) -> list[ItemRelation]:
    """'same' for each unmapped new item whose old namesake has identical texts and rules."""
    if catalogue.based_on_id is None:
        return []
    mapped = set(
        ItemRelation.objects.filter(catalogue=catalogue, new_item__isnull=False).values_list(
            "new_item_id", flat=True
        )
    )
    old = {item.code: item for item in Item.objects.filter(catalogue_id=catalogue.based_on_id)}
    return [
        ItemRelation(catalogue=catalogue, new_item=item, old_item=old[item.code], relation="same")
        for item in catalogue.items.all()
        if item.pk not in mapped and item.code in old and same_text(old[item.code], item)
    ]


def mapping_problems(catalogue: Catalogue) -> list[str]:
    """Why the mapping to the previous version is not complete (empty when it is)."""
    if catalogue.based_on_id is None:
        return []
    relations = list(ItemRelation.objects.for_catalogue(catalogue))
    new_items = list(catalogue.items.order_by("order", "code"))
    old_items = list(Item.objects.filter(catalogue_id=catalogue.based_on_id).order_by("order"))
    by_new: dict[int, list[ItemRelation]] = {}
    by_old: dict[int, list[ItemRelation]] = {}
    for row in relations:
        if row.new_item_id:
            by_new.setdefault(row.new_item_id, []).append(row)
        if row.old_item_id:
            by_old.setdefault(row.old_item_id, []).append(row)
    problems = []
    problems += [
        _("%(code)s of this version is not mapped to the previous version.") % {"code": i.code}
        for i in new_items
        if i.pk not in by_new
    ]
    problems += [
        _("%(code)s of the previous version is not mapped to this version.") % {"code": i.code}
        for i in old_items
        if i.pk not in by_old
    ]
    for item in new_items:
        problems += _side_problems(item, by_new.get(item.pk, []), Relation.MERGED, "new")
    for item in old_items:
        problems += _side_problems(item, by_old.get(item.pk, []), Relation.SPLIT, "old")
    problems += [
        _("%(code)s belongs to neither version.") % {"code": row.old_item.code}
        for row in relations
        if row.old_item_id and row.old_item.catalogue_id != catalogue.based_on_id
    ]
    return problems


def _side_problems(item: Item, rows: list[ItemRelation], many: str, side: str) -> list[str]:
    """One item's rows must agree: one row for a one-to-one relation, two or more all marked
    ``many`` (merged seen from the new item, split from the old one)."""
    relations = {row.relation for row in rows}
    if len(rows) > 1 and relations != {many}:
        return [
            _("%(code)s has several relations (%(relations)s); use “%(many)s” for all of them.")
            % {
                "code": item.code,
                "relations": ", ".join(sorted(relations)),
                "many": Relation(many).label,
            }
        ]
    if len(rows) == 1 and relations == {many}:
        return [
            _("%(code)s is marked “%(many)s” but has only one counterpart.")
            % {"code": item.code, "many": Relation(many).label}
        ]
    return []


@dataclass
class DiffRow:
    """One line of the diff between two versions, from the new version's point of view."""

    change: str  # a Relation value, or "moved" when only the place changed
    new: Item | None = None
    old: list[Item] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # changed text fields
    moved: bool = False
    relations: list[ItemRelation] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.change == "moved":
            return str(_("Moved"))
        return str(Relation(self.change).label)

    @property
    def is_change(self) -> bool:
        # A text edited on an item still mapped "same" is a change the admin must see before
        # publishing (and a sign the mapping should say "reworded").
        return self.change != Relation.SAME or self.moved or bool(self.fields)

    @property
    def old_codes(self) -> str:
        return "、".join(item.code for item in self.old)


def _moved(old: Item, new: Item) -> bool:
    return old.category.code != new.category.code or old.is_criterion != new.is_criterion


def catalogue_diff(catalogue: Catalogue) -> list[DiffRow]:
    """The draft against the version it is based on, per item: through the mapping where there
    is one, by code where the mapping has nothing yet (proposed, never stored here)."""
    if catalogue.based_on_id is None:
        return []
    relations = list(
        ItemRelation.objects.filter(catalogue=catalogue).select_related(
            "old_item__category", "new_item__category"
        )
    )
    new_items = list(catalogue.items.select_related("category").in_sections())
    old_items = list(
        Item.objects.filter(catalogue_id=catalogue.based_on_id).select_related("category")
    )
    by_new: dict[int, list[ItemRelation]] = {}
    mapped_old = set()
    for row in relations:
        if row.new_item_id:
            by_new.setdefault(row.new_item_id, []).append(row)
            if row.old_item_id:
                mapped_old.add(row.old_item_id)
    old_by_code = {item.code: item for item in old_items}
    rows = []
    for item in new_items:
        edges = by_new.get(item.pk)
        if edges:
            rows.append(_row_from_edges(item, edges))
        elif item.code in old_by_code and old_by_code[item.code].pk not in mapped_old:
            old = old_by_code[item.code]
            mapped_old.add(old.pk)
            changed = [name for name in TEXT_FIELDS + RULE_FIELDS if _differs(old, item, name)]
            rows.append(
                DiffRow(
                    Relation.REWORDED if changed else Relation.SAME,
                    item,
                    [old],
                    changed,
                    moved=_moved(old, item),
                )
            )
        else:
            rows.append(DiffRow(Relation.NEW, item))
    rows += [
        DiffRow(Relation.REMOVED, None, [old]) for old in old_items if old.pk not in mapped_old
    ]
    for diff_row in rows:
        if diff_row.change == Relation.SAME and diff_row.moved:
            diff_row.change = "moved"
    return rows


def _differs(old: Item, new: Item, name: str) -> bool:
    return getattr(old, name) != getattr(new, name)


def _row_from_edges(item: Item, edges: list[ItemRelation]) -> DiffRow:
    olds = [edge.old_item for edge in edges if edge.old_item is not None]
    relation = edges[0].relation
    changed = []
    if len(olds) == 1 and relation in BOTH_SIDES:
        changed = [name for name in TEXT_FIELDS + RULE_FIELDS if _differs(olds[0], item, name)]
    moved = len(olds) == 1 and relation in ONE_TO_ONE and _moved(olds[0], item)
    return DiffRow(relation, item, olds, changed, moved=moved, relations=edges)
