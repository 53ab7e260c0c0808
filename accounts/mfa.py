"""Multi-factor authentication with django-otp: who must have it, and the TOTP key's forms.

A user's second factor is one TOTP device (an authenticator app) plus one static device holding
single-use recovery codes; both are created together by ``services.enrol_totp_device`` and removed
together by ``services.reset_mfa``. Nothing here writes to the database.
"""

import math
import re
import time
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# A TOTP code is six digits; anything else entered at the second step is a recovery code.
TOTP_CODE = re.compile(r"\d{6}")


def is_required(user: User) -> bool:
    """The regulator roles (and anyone with admin-site access) must use MFA when enforced."""
    return settings.MFA_ENFORCED and (user.role in settings.MFA_REQUIRED_ROLES or user.is_staff)


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def seconds_until_retry(user: User) -> int:
    """django-otp refuses codes for 1, 2, 4, 8 ... seconds after successive wrong ones; how long
    this user still has to wait (0: a code is checked now)."""
    waits = [0]
    for device in devices_for_user(user):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append(math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
    return max(waits)


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and hyphens dropped, recovery codes in lower case."""
    return re.sub(r"[\s-]", "", code).lower()


def new_key() -> str:
    return random_hex(20)


def matching_time_step(key: str, code: str) -> int | None:
    """The time step at which ``code`` is the key's TOTP (one step of clock skew either way)."""
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        return None
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def secret_text(key: str) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(unhexlify(key.encode())).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(user: User, key: str) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (no style attributes: the CSP forbids them)."""
    url = TOTPDevice(user=user, key=key).config_url  # an unsaved device only formats the URL
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", svgclass="mfa-qr", omitsize=False)
    # segno writes only path data and fixed attributes: nothing of the user's reaches markup.
    return mark_safe(svg)  # noqa: S308
