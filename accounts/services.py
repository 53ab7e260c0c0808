"""Audit writes that are not part of another state change: reads worth recording (downloads,
verifications) and edits made in the admin site. Every other audited write happens inside its
own app's service."""

from django.db import models, transaction
from django.http import HttpRequest

from accounts.http import client_ip
from accounts.models import AuditAction, AuditEvent, User


@transaction.atomic
def record_access(
    *,
    request: HttpRequest,
    action: AuditAction,
    target: models.Model | None = None,
    summary: str = "",
    data: dict | None = None,
) -> AuditEvent | None:
    """Record that the user read something; a HEAD request reads nothing and is not recorded."""
    if request.method == "HEAD":
        return None
    return AuditEvent.objects.record(
        actor=request.user,
        action=action,
        target=target,
        ip_address=client_ip(request),
        summary=summary,
        data=data,
    )


@transaction.atomic
def record_admin_change(
    *, actor: User, action: AuditAction, target: models.Model, message: str, ip_address: str | None
) -> AuditEvent:
    """An add, change or delete made through the admin site (users, organisations, catalogues)."""
    return AuditEvent.objects.record(
        actor=actor,
        action=action,
        target=target,
        ip_address=ip_address,
        data={"message": message[:500]},
    )
