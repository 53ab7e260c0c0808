"""The catalogue's models, in two modules: guidelines (shared facts) and catalogue (versions)."""

from checklists.models.catalogue import (
    REFERENCE_SECTION,
    Catalogue,
    CatalogueQuerySet,
    Category,
    FrozenWhenPublished,
    Item,
    ItemQuerySet,
    ItemSource,
    ReferenceSection,
    section_order,
)
from checklists.models.guidelines import (
    UNVERIFIED,
    Guideline,
    GuidelineEdition,
    Verification,
    localised,
)
from checklists.models.mapping import (
    BOTH_SIDES,
    ONE_TO_ONE,
    ItemRelation,
    Relation,
)

__all__ = [
    "BOTH_SIDES",
    "ONE_TO_ONE",
    "REFERENCE_SECTION",
    "UNVERIFIED",
    "Catalogue",
    "CatalogueQuerySet",
    "Category",
    "FrozenWhenPublished",
    "Guideline",
    "GuidelineEdition",
    "Item",
    "ItemQuerySet",
    "ItemRelation",
    "ItemSource",
    "ReferenceSection",
    "Relation",
    "Verification",
    "localised",
    "section_order",
]
