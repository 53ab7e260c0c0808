"""State changes of the catalogue: import, publish, new draft version. Each writes the audit log."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from checklists.interchange import CatalogueFormatError, validate_document
from checklists.mapping import mapping_problems, proposals
from checklists.models import (
    Catalogue,
    Category,
    Guideline,
    GuidelineEdition,
    Item,
    ItemRelation,
    ItemSource,
)


def _sync_guidelines(guidelines: list[dict]) -> dict[str, GuidelineEdition]:
    """Guidelines and editions are shared by published catalogues: an import adds missing ones and
    never rewrites existing ones (a correction is a new edition code)."""
    editions = {}
    for row in guidelines:
        guideline, _created = Guideline.objects.get_or_create(
            code=row["code"],
            defaults={"title_ja": row["title_ja"], "title_en": row.get("title_en") or ""},
        )
        for edition_row in row.get("editions") or []:
            issued_on = edition_row.get("issued_on")
            edition, _created = GuidelineEdition.objects.get_or_create(
                code=edition_row["code"],
                defaults={
                    "guideline": guideline,
                    "label": edition_row["label"],
                    "issued_on": date.fromisoformat(str(issued_on)) if issued_on else None,
                },
            )
            editions[edition.code] = edition
    return editions


@transaction.atomic
def import_catalogue(*, data: dict, actor: User | None, publish: bool = False) -> Catalogue:
    """Create a catalogue version from an interchange document; all or nothing."""
    validate_document(data)
    if Catalogue.objects.filter(version=data["version"]).exists():
        raise CatalogueFormatError(
            _("Catalogue version %(version)s already exists.") % {"version": data["version"]}
        )
    editions = _sync_guidelines(data.get("guidelines") or [])
    based_on = None
    if data.get("based_on"):
        based_on = Catalogue.objects.filter(version=data["based_on"]).first()
        if based_on is None:
            raise CatalogueFormatError(
                _("The previous version %(version)s is not in the portal.")
                % {"version": data["based_on"]}
            )
    catalogue = Catalogue.objects.create(
        version=data["version"],
        title_ja=data["title_ja"],
        title_en=data.get("title_en") or "",
        based_on=based_on,
    )
    items = {}
    categories = {}
    for order, row in enumerate(data["categories"], start=1):
        categories[row["code"]] = Category.objects.create(
            catalogue=catalogue,
            code=row["code"],
            order=order,
            name_ja=row["name_ja"],
            name_en=row.get("name_en") or "",
        )
    for order, row in enumerate(data["items"], start=1):
        item = Item.objects.create(
            catalogue=catalogue,
            category=categories[row["category"]],
            code=row["code"],
            order=order,
            title_ja=row["title_ja"],
            title_en=row.get("title_en") or "",
            requirement_ja=row["requirement_ja"].strip(),
            requirement_en=(row.get("requirement_en") or "").strip(),
            evidence_examples_ja="\n".join(row.get("evidence_examples_ja") or []),
            reviewer_note=(row.get("reviewer_note") or "").strip(),
            is_criterion=bool(row["is_criterion"]),
            allows_not_applicable=bool(row.get("allows_not_applicable")),
            lower_aggregator_requirement=bool(row.get("lower_aggregator_requirement")),
            lower_coverage_required=bool(row.get("lower_coverage_required")),
            lower_coverage_verification=row.get("lower_coverage_verification") or "unverified",
        )
        items[item.code] = item
        ItemSource.objects.bulk_create(
            ItemSource(
                item=item,
                edition=editions[source["edition"]],
                clause=source.get("clause") or "",
                level=source["level"],
                verification=source["verification"],
                note=source.get("note") or "",
            )
            for source in row["sources"]
        )
    if based_on is not None:
        _import_mapping(catalogue, based_on, items, data.get("mapping") or [])
    AuditEvent.objects.record(
        actor=actor, action=AuditEvent.Action.CATALOGUE_IMPORT, target=catalogue
    )
    if publish:
        publish_catalogue(catalogue=catalogue, actor=actor)
    return catalogue


def check_publishable(catalogue: Catalogue) -> list[str]:
    """Why the draft cannot be published (empty when it can); the confirmation page shows it."""
    problems = []
    if catalogue.is_published:
        problems.append(_("This catalogue version is already published."))
    problems += mapping_problems(catalogue)
    return problems


def _import_mapping(
    catalogue: Catalogue, based_on: Catalogue, items: dict[str, Item], rows: list[dict]
) -> None:
    old = {item.code: item for item in based_on.items.all()}
    unknown = sorted({row["old"] for row in rows if row.get("old") and row["old"] not in old})
    if unknown:
        raise CatalogueFormatError(
            _("Mapping: %(codes)s not in the previous version %(version)s.")
            % {"codes": ", ".join(unknown), "version": based_on.version}
        )
    ItemRelation.objects.bulk_create(
        ItemRelation(
            catalogue=catalogue,
            new_item=items[row["new"]] if row.get("new") else None,
            old_item=old[row["old"]] if row.get("old") else None,
            relation=row["relation"],
            note=row.get("note") or "",
        )
        for row in rows
    )


@transaction.atomic
def publish_catalogue(
    *, catalogue: Catalogue, actor: User | None, effective_on: date | None = None
) -> Catalogue:
    catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    if catalogue.is_published:
        raise ValidationError(_("This catalogue version is already published."))
    if problems := mapping_problems(catalogue):
        raise ValidationError(
            _("The mapping to the previous version is incomplete: %(problems)s")
            % {"problems": " ".join(problems)}
        )
    missing = catalogue.items.criteria().filter(sources__isnull=True)
    if missing.exists():
        raise ValidationError(
            _("Every criterion item needs a source before publishing: %(codes)s")
            % {"codes": ", ".join(missing.values_list("code", flat=True))}
        )
    catalogue.status = Catalogue.Status.PUBLISHED
    catalogue.published_at = timezone.now()
    catalogue.effective_on = effective_on or timezone.localdate()
    catalogue.save(update_fields=["status", "published_at", "effective_on"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.CATALOGUE_PUBLISH,
        target=catalogue,
        data={"effective_on": catalogue.effective_on.isoformat()},
    )
    return catalogue


@transaction.atomic
def create_draft_catalogue(*, based_on: Catalogue, version: str, actor: User | None) -> Catalogue:
    """Copy a catalogue into a new draft version; the admin corrects the draft, then publishes."""
    if Catalogue.objects.filter(version=version).exists():
        raise ValidationError(
            _("Catalogue version %(version)s already exists.") % {"version": version}
        )
    draft = Catalogue.objects.create(
        version=version, title_ja=based_on.title_ja, title_en=based_on.title_en, based_on=based_on
    )
    categories = {}
    for category in based_on.categories.all():
        old_pk = category.pk
        category.pk, category.catalogue = None, draft
        category.save()
        categories[old_pk] = category
    for item in based_on.items.prefetch_related("sources"):
        sources = list(item.sources.all())
        item.pk, item.catalogue, item.category = None, draft, categories[item.category_id]
        item.save()
        for source in sources:
            source.pk, source.item = None, item
        ItemSource.objects.bulk_create(sources)
    ItemRelation.objects.bulk_create(proposals(draft))  # a copy starts with every item "same"
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.CATALOGUE_DRAFT,
        target=draft,
        data={"based_on": based_on.version},
    )
    return draft


@transaction.atomic
def propose_mapping(*, catalogue: Catalogue, actor: User | None) -> int:
    """Map each unmapped item of a draft whose old namesake is identical as "same"; the admin
    maps the rest. Returns how many relations were added."""
    catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    if catalogue.is_published:
        raise ValidationError(_("This catalogue version is already published."))
    added = ItemRelation.objects.bulk_create(proposals(catalogue))
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.CATALOGUE_MAP,
        target=catalogue,
        data={"proposed": len(added)},
    )
    return len(added)
