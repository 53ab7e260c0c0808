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

__all__ = [
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
    "ItemSource",
    "ReferenceSection",
    "Verification",
    "localised",
    "section_order",
]
