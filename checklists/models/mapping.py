"""The mapping between a catalogue version and the one it is based on: which new item came from
which old one, and how (same / reworded / split / merged / narrowed / broadened / new / removed).

It is catalogue data: exported and imported with the version, edited in the admin on the draft,
frozen with the version once published. Filings are carried across versions through it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from checklists.models.catalogue import FrozenWhenPublished, Item


class Relation(models.TextChoices):
    SAME = "same", _("Same")
    REWORDED = "reworded", _("Reworded")
    SPLIT = "split", _("Split")
    MERGED = "merged", _("Merged")
    NARROWED = "narrowed", _("Narrowed")
    BROADENED = "broadened", _("Broadened")
    NEW = "new", _("New")
    REMOVED = "removed", _("Removed")


# Relations with an item on both sides; "new" has no old item, "removed" no new one.
BOTH_SIDES = frozenset(Relation.values) - {Relation.NEW, Relation.REMOVED}
# One old item to one new item.
ONE_TO_ONE = frozenset({Relation.SAME, Relation.REWORDED, Relation.NARROWED, Relation.BROADENED})


class ItemRelationQuerySet(models.QuerySet["ItemRelation"]):
    def for_catalogue(self, catalogue):
        return self.filter(catalogue=catalogue).select_related("old_item", "new_item")


class ItemRelation(FrozenWhenPublished):
    """One edge of the mapping: a new item of ``catalogue`` from an old item of its ``based_on``."""

    catalogue = models.ForeignKey(
        "checklists.Catalogue",
        verbose_name=_("catalogue version"),
        on_delete=models.CASCADE,
        related_name="relations",
    )
    new_item = models.ForeignKey(
        Item,
        verbose_name=_("item of this version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relations_from_old",
    )
    old_item = models.ForeignKey(
        Item,
        verbose_name=_("item of the previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relations_to_new",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ItemRelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("item relation")
        verbose_name_plural = _("mapping to the previous version")
        ordering = ["catalogue", "new_item__order", "old_item__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relation="new", new_item__isnull=False, old_item__isnull=True)
                | models.Q(relation="removed", new_item__isnull=True, old_item__isnull=False)
                | models.Q(
                    relation__in=sorted(BOTH_SIDES),
                    new_item__isnull=False,
                    old_item__isnull=False,
                ),
                name="item_relation_sides_match_relation",
            ),
            models.UniqueConstraint(
                fields=["catalogue", "new_item", "old_item"], name="item_relation_unique"
            ),
        ]

    def __str__(self) -> str:
        old = self.old_item.code if self.old_item else "—"
        new = self.new_item.code if self.new_item else "—"
        return f"{old} → {new} ({self.get_relation_display()})"

    def owning_catalogue_id(self) -> int:
        return self.catalogue_id
