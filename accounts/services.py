"""Audit writes that are not part of another state change: reads worth recording (downloads,
verifications) and edits made in the admin site; and the accounts' own audited changes:
multi-factor authentication (enrolment, recovery codes, reset) and login-failure alerts. Every
other audited write happens inside its own app's service."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.http import client_ip
from accounts.models import AuditAction, AuditEvent, Role, User
from outbox.services import queue_mail


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


# --- multi-factor authentication -------------------------------------------------------------


@transaction.atomic
def enrol_totp_device(
    *, user: User, key: str, code: str, ip_address: str | None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app that shows ``code`` for ``key``, and create the recovery
    codes; returns the device and the codes (shown once: only the device keeps them)."""
    User.objects.select_for_update().get(pk=user.pk)  # one enrolment at a time per user
    if mfa.has_device(user):
        raise ValidationError(_("Multi-factor authentication is already set up."))
    time_step = mfa.matching_time_step(key, code)
    if time_step is None:
        raise ValidationError(
            _("The code does not match. Enter the 6-digit code your app shows now.")
        )
    for device in devices_for_user(user, confirmed=None):
        device.delete()  # an abandoned, unconfirmed attempt
    # last_t: the code used here cannot be replayed at the next login.
    device = TOTPDevice.objects.create(
        user=user, name=mfa.TOTP_NAME, key=key, confirmed=True, last_t=time_step
    )
    recovery = StaticDevice.objects.create(user=user, name=mfa.RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(mfa.RECOVERY_CODE_COUNT)]
    recovery.token_set.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    AuditEvent.objects.record(
        actor=user,
        action=AuditAction.MFA_ENROL,
        target=user,
        ip_address=ip_address,
        data={"recovery_codes": len(codes)},
    )
    return device, codes


@transaction.atomic
def verify_second_factor(*, user: User, code: str, ip_address: str | None) -> Device | None:
    """The device that accepts ``code`` (a TOTP code, or a recovery code, which is then used up
    and audited), or None. Each device throttles its own failures (django-otp)."""
    code = mfa.normalise_code(code)
    # Try only the kind of device the code is for, so a mistyped code throttles one device.
    kind = TOTPDevice if mfa.TOTP_CODE.fullmatch(code) else StaticDevice
    for device in devices_for_user(user, for_verify=True):
        if isinstance(device, kind) and device.verify_token(code):
            if isinstance(device, StaticDevice):
                AuditEvent.objects.record(
                    actor=user,
                    action=AuditAction.MFA_USE_RECOVERY_CODE,
                    target=user,
                    ip_address=ip_address,
                    data={"remaining": device.token_set.count()},
                )
            return device
    return None


@transaction.atomic
def reset_mfa(*, user: User, actor: User, ip_address: str | None) -> int:
    """An admin removes a user's authenticator and recovery codes (a lost phone); the user sets
    MFA up again at the next login if it is required. Returns the number of devices removed."""
    devices = list(devices_for_user(user, confirmed=None, for_verify=True))
    for device in devices:
        device.delete()
    AuditEvent.objects.record(
        actor=actor,
        action=AuditAction.MFA_RESET,
        target=user,
        ip_address=ip_address,
        data={"devices": len(devices)},
    )
    return len(devices)


# --- login failures --------------------------------------------------------------------------


@transaction.atomic
def alert_login_failures(
    *, user: User, failures: int, window_start: datetime, ip_address: str | None
) -> AuditEvent | None:
    """Record many failed logins on ``user``'s account and e-mail the user and the admins; once
    per window (None when this window was already reported)."""
    already = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_ALERT_FAILURES,
        target_type=User._meta.label,
        target_id=str(user.pk),
        created_at__gte=window_start,
    )
    if already.exists():  # the common case during an attack: no lock taken
        return None
    User.objects.select_for_update().get(pk=user.pk)  # two failures at once send one alert
    if already.exists():
        return None
    event = AuditEvent.objects.record(
        actor=None,
        action=AuditAction.LOGIN_ALERT_FAILURES,
        target=user,
        ip_address=ip_address,
        data={"failures": failures},
    )
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    with translation.override("ja"):
        subject = _("[Portal] Many failed logins on your account")
        body = _(
            "There were %(count)d failed login attempts on your account in the last hour. "
            "Logging in from browsers you have not used with the portal is slowed down for now; "
            "your usual browser is not affected. If this was not you, ask an administrator."
        ) % {"count": failures}
        admin_subject = _("[Portal] Many failed logins on %(email)s") % {"email": user.email}
        admin_body = _(
            "There were %(count)d failed login attempts on the account %(email)s in the last "
            "hour, the last one from %(address)s. See the audit log."
        ) % {"count": failures, "email": user.email, "address": ip_address or "-"}
    # Separate messages: the user does not learn the admins' addresses.
    if user.is_active:
        queue_mail(subject=subject, body=body, recipients=[user.email])
    queue_mail(subject=admin_subject, body=admin_body, recipients=[admin.email for admin in admins])
    return event


@transaction.atomic
def record_password_change_throttle(*, user: User, ip_address: str | None) -> AuditEvent:
    """The password-change form refuses ``user`` for a while after repeated wrong passwords."""
    return AuditEvent.objects.record(
        actor=user,
        action=AuditAction.PASSWORD_CHANGE_THROTTLE,
        target=user,
        ip_address=ip_address,
    )
