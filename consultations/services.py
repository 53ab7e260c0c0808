"""State changes of a comment period; each authorises, runs in one transaction and writes the
audit log. Once the lead approves the table, opinions and responses no longer change."""

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from checklists.models import Catalogue, Item
from consultations import documents
from consultations.models import CommentPeriod, Opinion, Response
from reports.rendering import render_pdf
from reports.signing import sign_pdf


def _lock(period: CommentPeriod) -> CommentPeriod:
    return CommentPeriod.objects.select_for_update().get(pk=period.pk)


def _ensure_not_approved(period: CommentPeriod) -> None:
    if period.is_approved:
        raise ValidationError(_("The table of this comment period is approved; it is closed."))


def _own_items(period: CommentPeriod, items) -> list[Item]:
    items = list(items)
    if any(item.catalogue_id != period.catalogue_id for item in items):
        raise ValidationError(_("An item does not belong to the draft under comment."))
    return items


@transaction.atomic
def open_comment_period(
    *, catalogue: Catalogue, starts_on: date, ends_on: date, note: str, actor: User
) -> CommentPeriod:
    if not actor.is_staff:
        raise PermissionDenied
    if catalogue.is_published or catalogue.based_on_id is None:
        raise ValidationError(
            _("Only a draft version based on a published one can be put to comment.")
        )
    if ends_on < starts_on:
        raise ValidationError(_("The comment period must end on or after its first day."))
    period = CommentPeriod.objects.create(
        catalogue=catalogue, starts_on=starts_on, ends_on=ends_on, note=note, opened_by=actor
    )
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.COMMENT_PERIOD_OPEN,
        target=period,
        data={"version": catalogue.version, "from": str(starts_on), "until": str(ends_on)},
    )
    return period


@transaction.atomic
def submit_opinion(
    *,
    period: CommentPeriod,
    actor: User,
    body: str,
    items,
    consents_to_name: bool,
    ip_address: str | None = None,
) -> Opinion:
    """An aggregator user's opinion through the portal, while the period is open."""
    if not actor.is_aggregator_user or actor.organisation is None:
        raise PermissionDenied
    period = _lock(period)
    if not period.is_open():
        raise ValidationError(_("This comment period is not open."))
    opinion = Opinion.objects.create(
        period=period,
        channel=Opinion.Channel.PORTAL,
        received_on=timezone.localdate(),
        organisation=actor.organisation,
        submitted_by=actor,
        submitter_name=actor.organisation.name,
        consents_to_name=consents_to_name,
        body=body,
        recorded_by=actor,
    )
    opinion.items.set(_own_items(period, items))
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.OPINION_SUBMIT,
        target=opinion,
        ip_address=ip_address,
        data={"period": period.pk},
    )
    return opinion


@transaction.atomic
def record_opinion(
    *,
    period: CommentPeriod,
    actor: User,
    channel: str,
    received_on: date,
    submitter_name: str,
    consents_to_name: bool,
    body: str,
    items,
    ip_address: str | None = None,
) -> Opinion:
    """An opinion that reached the regulator on paper, by e-mail or through e-Gov."""
    if not actor.is_regulator_user:
        raise PermissionDenied
    period = _lock(period)
    _ensure_not_approved(period)
    if channel == Opinion.Channel.PORTAL:
        raise ValidationError(_("Opinions through the portal are submitted by their authors."))
    opinion = Opinion.objects.create(
        period=period,
        channel=channel,
        received_on=received_on,
        submitter_name=submitter_name,
        consents_to_name=consents_to_name,
        body=body,
        recorded_by=actor,
    )
    opinion.items.set(_own_items(period, items))
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.OPINION_RECORD,
        target=opinion,
        ip_address=ip_address,
        data={"period": period.pk, "channel": channel, "received_on": str(received_on)},
    )
    return opinion


@transaction.atomic
def save_response(
    *,
    period: CommentPeriod,
    actor: User,
    opinions: list[Opinion],
    body: str,
    changes_draft: bool,
    changed_items,
    ip_address: str | None = None,
) -> Response:
    """One response (考え方) to one opinion or a group; it replaces their earlier response."""
    if not actor.is_reviewer:
        raise PermissionDenied
    period = _lock(period)
    _ensure_not_approved(period)
    if not opinions or any(opinion.period_id != period.pk for opinion in opinions):
        raise ValidationError(_("Choose the opinions this response answers."))
    changed = _own_items(period, changed_items)
    if changes_draft and not changed:
        raise ValidationError(_("Name the items the response changed in the draft."))
    response = Response.objects.create(
        period=period, body=body, changes_draft=changes_draft, drafted_by=actor
    )
    response.changed_items.set(changed if changes_draft else [])
    chosen = Opinion.objects.filter(pk__in=[opinion.pk for opinion in opinions])
    previous = list(chosen.exclude(response=None).values_list("response_id", flat=True))
    chosen.update(response=response)
    Response.objects.filter(pk__in=previous, opinions__isnull=True).delete()
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.RESPONSE_SAVE,
        target=response,
        ip_address=ip_address,
        data={"period": period.pk, "opinions": sorted(opinion.pk for opinion in opinions)},
    )
    return response


def check_approval(period: CommentPeriod) -> list[str]:
    """What stands between the table and its approval (empty when it can be approved)."""
    problems = []
    if period.is_approved:
        problems.append(_("The table is already approved."))
    if not period.opinions.exists():
        problems.append(_("No opinion has been received or recorded."))
    if period.opinions.filter(response__isnull=True).exists():
        problems.append(_("Every opinion needs a response before the table is approved."))
    return problems


@transaction.atomic
def approve_table(
    *, period: CommentPeriod, actor: User, ip_address: str | None = None
) -> CommentPeriod:
    if not actor.is_review_lead:
        raise PermissionDenied
    period = _lock(period)
    if problems := check_approval(period):
        raise ValidationError(problems)
    period.approved_by, period.approved_at = actor, timezone.now()
    period.save(update_fields=["approved_by", "approved_at"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.RESPONSE_TABLE_APPROVE,
        target=period,
        ip_address=ip_address,
    )
    return period


@transaction.atomic
def render_table(
    *, period: CommentPeriod, actor: User, ip_address: str | None = None
) -> CommentPeriod:
    """The approved table as a signed PDF in the source's two columns (御意見 / 考え方)."""
    if not actor.is_regulator_user:
        raise PermissionDenied
    period = _lock(period)
    if not period.is_approved:
        raise ValidationError(_("The table is rendered once the lead has approved it."))
    with translation.override("ja"):  # the table is a Japanese record, whoever renders it
        document = documents.response_table(period)
    pdf = sign_pdf(render_pdf("consultations/print/response_table.html", {"document": document}))
    period.table_sha256 = hashlib.sha256(pdf).hexdigest()
    period.table_pdf.save(
        f"{period.pk}-{period.table_sha256[:12]}.pdf", ContentFile(pdf), save=False
    )
    period.save(update_fields=["table_pdf", "table_sha256"])
    AuditEvent.objects.record(
        actor=actor,
        action=AuditEvent.Action.RESPONSE_TABLE_RENDER,
        target=period,
        ip_address=ip_address,
        data={"sha256": period.table_sha256},
    )
    return period
