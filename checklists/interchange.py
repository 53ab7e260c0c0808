"""The catalogue interchange format (YAML or JSON): validated on the way in, a dict on the way out.

The same shape is written by ``export_catalogue`` and read by ``import_catalogue``, so a round trip
gives back an identical document. Fields are listed once here.
"""

import json
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from checklists.models import (
    BOTH_SIDES,
    Catalogue,
    Guideline,
    Item,
    ItemRelation,
    ItemSource,
    Relation,
)

GUIDELINE_FIELDS = ("code", "title_ja", "title_en")
EDITION_FIELDS = ("code", "label", "issued_on")
CATEGORY_FIELDS = ("code", "name_ja", "name_en")
ITEM_FIELDS = (
    "code",
    "category",
    "title_ja",
    "title_en",
    "requirement_ja",
    "requirement_en",
    "evidence_examples_ja",
    "is_criterion",
    "allows_not_applicable",
    "lower_aggregator_requirement",
    "lower_coverage_required",
    "lower_coverage_verification",
    "reviewer_note",
    "sources",
)
SOURCE_FIELDS = ("edition", "clause", "level", "verification", "note")
MAPPING_FIELDS = ("new", "old", "relation", "note")  # item codes of this and the previous version
REQUIRED_ITEM_FIELDS = ("code", "category", "title_ja", "requirement_ja", "is_criterion", "sources")


class CatalogueFormatError(ValueError):
    """The document cannot be imported; the message says where and why, in the user's language."""


def load_document(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        message = _("The file cannot be parsed: %(error)s") % {"error": error}
        raise CatalogueFormatError(message) from error
    if not isinstance(data, dict):
        raise CatalogueFormatError(_("The file does not contain a catalogue."))
    return data


def dump_document(data: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _require(mapping: dict, fields, where: str) -> None:
    if not isinstance(mapping, dict):
        raise CatalogueFormatError(_("%(where)s is not a mapping.") % {"where": where})
    for field in fields:
        if mapping.get(field) in (None, ""):
            raise CatalogueFormatError(
                _("%(where)s: the field '%(field)s' is missing.") % {"where": where, "field": field}
            )


def _unique(rows: list[dict], where: str) -> None:
    seen = set()
    for row in rows:
        if row["code"] in seen:
            raise CatalogueFormatError(
                _("%(where)s: the code '%(code)s' appears twice.")
                % {"where": where, "code": row["code"]}
            )
        seen.add(row["code"])


def _upgrade_item(item) -> None:
    """Documents exported before format 2 said ``required`` and ``in_seed``: an item was a
    criterion when it was both required and listed in the criterion document."""
    if isinstance(item, dict) and "is_criterion" not in item and "required" in item:
        item["is_criterion"] = bool(item.pop("required")) and bool(item.pop("in_seed", True))


def validate_document(data: dict) -> dict:
    """Check the whole document before anything is written; raise on the first problem."""
    _require(data, ("version", "title_ja", "categories", "items"), _("The catalogue"))
    guidelines = data.get("guidelines") or []
    for guideline in guidelines:
        _require(guideline, ("code", "title_ja"), _("Guideline"))
        for edition in guideline.get("editions") or []:
            _require(edition, ("code", "label"), _("Edition of %(code)s") % guideline)
    editions = [e for g in guidelines for e in g.get("editions") or []]
    _unique(guidelines, _("Guidelines"))
    _unique(editions, _("Editions"))
    for category in data["categories"]:
        _require(category, ("code", "name_ja"), _("Category"))
    _unique(data["categories"], _("Categories"))
    category_codes = {category["code"] for category in data["categories"]}
    edition_codes = {edition["code"] for edition in editions}
    for item in data["items"]:
        _upgrade_item(item)
        _require(item, REQUIRED_ITEM_FIELDS[:1], _("Item"))
        where = _("Item %(code)s") % item
        _require(item, REQUIRED_ITEM_FIELDS, where)
        if item["category"] not in category_codes:
            raise CatalogueFormatError(
                _("%(where)s: unknown category '%(category)s'.")
                % {"where": where, "category": item["category"]}
            )
        for source in item["sources"]:
            _require(source, ("edition", "level", "verification"), where)
            if source["edition"] not in edition_codes:
                raise CatalogueFormatError(
                    _("%(where)s: unknown guideline edition '%(edition)s'.")
                    % {"where": where, "edition": source["edition"]}
                )
            if source["level"] not in ItemSource.Level.values:
                raise CatalogueFormatError(
                    _("%(where)s: unknown level '%(level)s'.") % {"where": where, **source}
                )
            if source["verification"] not in ItemSource.Verification.values:
                raise CatalogueFormatError(
                    _("%(where)s: unknown verification '%(verification)s'.")
                    % {"where": where, **source}
                )
        if item.get("lower_coverage_required") and (
            not item["is_criterion"] or item.get("lower_aggregator_requirement")
        ):
            raise CatalogueFormatError(
                _("%(where)s: only criterion items can be required of lower-level aggregators.")
                % {"where": where}
            )
        verification = item.get("lower_coverage_verification") or "unverified"
        if verification not in ItemSource.Verification.values:
            raise CatalogueFormatError(
                _("%(where)s: unknown verification '%(verification)s'.")
                % {"where": where, "verification": verification}
            )
    _unique(data["items"], _("Items"))
    _validate_mapping(data, {item["code"] for item in data["items"]})
    return data


def _validate_mapping(data: dict, codes: set[str]) -> None:
    """The mapping names this version's items on the "new" side; the previous version's codes
    are checked on import, when that version is at hand."""
    mapping = data.get("mapping") or []
    if mapping and not data.get("based_on"):
        raise CatalogueFormatError(_("A mapping needs 'based_on', the previous version."))
    for row in mapping:
        _require(row, ("relation",), _("Mapping"))
        relation = row["relation"]
        if relation not in Relation.values:
            raise CatalogueFormatError(
                _("Mapping: unknown relation '%(relation)s'.") % {"relation": relation}
            )
        needs_new = relation in BOTH_SIDES or relation == "new"
        needs_old = relation in BOTH_SIDES or relation == "removed"
        if bool(row.get("new")) != needs_new or bool(row.get("old")) != needs_old:
            raise CatalogueFormatError(
                _("Mapping: the relation '%(relation)s' of %(new)s ← %(old)s has the wrong sides.")
                % {"relation": relation, "new": row.get("new") or "—", "old": row.get("old") or "—"}
            )
        if row.get("new") and row["new"] not in codes:
            raise CatalogueFormatError(
                _("Mapping: unknown item '%(code)s'.") % {"code": row["new"]}
            )


def catalogue_to_document(catalogue: Catalogue) -> dict:
    items = list(catalogue.items.with_sources().order_by("order", "code"))
    edition_ids = {source.edition_id for item in items for source in item.sources.all()}
    guidelines = Guideline.objects.filter(editions__id__in=edition_ids).distinct().order_by("code")
    return {
        "version": catalogue.version,
        "title_ja": catalogue.title_ja,
        "title_en": catalogue.title_en,
        "guidelines": [
            {
                **{field: getattr(guideline, field) for field in GUIDELINE_FIELDS},
                "editions": [
                    {
                        "code": edition.code,
                        "label": edition.label,
                        "issued_on": edition.issued_on.isoformat() if edition.issued_on else None,
                    }
                    for edition in guideline.editions.order_by("code")
                ],
            }
            for guideline in guidelines
        ],
        "categories": [
            {field: getattr(category, field) for field in CATEGORY_FIELDS}
            for category in catalogue.categories.order_by("order", "code")
        ],
        "items": [_item_to_dict(item) for item in items],
        **_mapping_to_dict(catalogue),
    }


def _mapping_to_dict(catalogue: Catalogue) -> dict:
    """Only versions based on another carry a mapping (older documents stay as they were)."""
    if catalogue.based_on_id is None:
        return {}
    assert catalogue.based_on is not None
    return {
        "based_on": catalogue.based_on.version,
        "mapping": [
            {
                "new": row.new_item.code if row.new_item else None,
                "old": row.old_item.code if row.old_item else None,
                "relation": row.relation,
                "note": row.note,
            }
            for row in ItemRelation.objects.for_catalogue(catalogue).order_by(
                "new_item__order", "new_item__code", "old_item__order", "old_item__code"
            )
        ],
    }


def _item_to_dict(item: Item) -> dict:
    row = {field: getattr(item, field) for field in ITEM_FIELDS if field not in SPECIAL_FIELDS}
    row["category"] = item.category.code
    row["evidence_examples_ja"] = item.evidence_examples
    row["sources"] = [
        {
            "edition": source.edition.code,
            **{field: getattr(source, field) for field in SOURCE_FIELDS[1:]},
        }
        for source in item.sources.all()
    ]
    return {field: row[field] for field in ITEM_FIELDS}


SPECIAL_FIELDS = {"category", "evidence_examples_ja", "sources"}
