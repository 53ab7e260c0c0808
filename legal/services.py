"""State changes of the legal bases: import, publish, a new draft version; each writes the audit
log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from legal.interchange import BASIS_FIELDS, MATTER_FIELDS, LegalFormatError, validate_document
from legal.models import BasisSet, LegalBasis, NotifiedMatter


@transaction.atomic
def import_basis_set(*, data: dict, actor: User | None, publish: bool = False) -> BasisSet:
    """Create a version of the legal bases from an interchange document; all or nothing."""
    validate_document(data)
    if BasisSet.objects.filter(version=data["version"]).exists():
        raise LegalFormatError(
            _("Version %(version)s of the legal bases already exists.")
            % {"version": data["version"]}
        )
    basis_set = BasisSet.objects.create(version=data["version"], notes=data.get("notes") or "")
    LegalBasis.objects.bulk_create(
        LegalBasis(
            basis_set=basis_set,
            order=order,
            **{field: (row.get(field) or "") for field in BASIS_FIELDS},
        )
        for order, row in enumerate(data["bases"], start=1)
    )
    NotifiedMatter.objects.bulk_create(
        NotifiedMatter(
            basis_set=basis_set,
            **{field: row.get(field) for field in MATTER_FIELDS if field != "title_en"},
            title_en=row.get("title_en") or "",
        )
        for row in data.get("matters") or []
    )
    AuditEvent.objects.record(actor=actor, action=AuditEvent.Action.LEGAL_IMPORT, target=basis_set)
    if publish:
        publish_basis_set(basis_set=basis_set, actor=actor)
    return basis_set


@transaction.atomic
def publish_basis_set(*, basis_set: BasisSet, actor: User | None) -> BasisSet:
    basis_set = BasisSet.objects.select_for_update().get(pk=basis_set.pk)
    if basis_set.is_published:
        raise LegalFormatError(_("This version is already published."))
    basis_set.status, basis_set.published_at = BasisSet.Status.PUBLISHED, timezone.now()
    basis_set.save(update_fields=["status", "published_at"])
    AuditEvent.objects.record(actor=actor, action=AuditEvent.Action.LEGAL_PUBLISH, target=basis_set)
    return basis_set


@transaction.atomic
def create_draft_basis_set(*, based_on: BasisSet, version: str, actor: User | None) -> BasisSet:
    """Copy a version into a new draft; the admin corrects the draft, then publishes it after
    confirming its differences from the current version."""
    if BasisSet.objects.filter(version=version).exists():
        raise ValidationError(
            _("Version %(version)s of the legal bases already exists.") % {"version": version}
        )
    draft = BasisSet.objects.create(version=version, notes=based_on.notes, based_on=based_on)
    bases = list(based_on.bases.all())
    for basis in bases:
        basis.pk, basis.basis_set = None, draft
    LegalBasis.objects.bulk_create(bases)
    matters = list(based_on.matters.all())
    for matter in matters:
        matter.pk, matter.basis_set = None, draft
    NotifiedMatter.objects.bulk_create(matters)
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.LEGAL_DRAFT,
        target=draft,
        data={"based_on": based_on.version},
    )
    return draft
