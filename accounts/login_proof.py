"""A way in for the real user on a new browser while the account is under attack (lockout.py).

Under attack, password checks from browsers without the account's known-device cookie are
admitted once per LOGIN_ACCOUNT_SLOWDOWN seconds, and a sustained attack from many addresses takes
every such slot. A browser that proves a second factor first is admitted at once:

- a code from the user's authenticator app (TOTP users); it also completes the login's second
  factor, as at the usual second step; or
- a one-time code sent by e-mail (anyone): 10 characters of a 32-letter alphabet (50 bits), valid
  for LOGIN_PROOF_TTL, single use; it proves the mailbox, and a TOTP user still enters the app's
  code after the password as usual.

Why this holds under attack: the e-mail code is too long to guess, so it needs no attempt limit
that an attacker could use up; a new code is mailed at most once a minute per account, and every
code mailed within its lifetime stays valid, so codes requested by the attacker reach the real
user too. TOTP codes are short, so guesses are limited per account *and address*
(LOGIN_PROOF_TRIES an hour), never per device: an attacker's wrong codes do not throttle the
user's app. A correct guess of either only buys a password check, never a login.
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.http import client_ip
from accounts.models import User
from outbox.services import queue_mail

PROOF_SESSION = "accounts_login_proof"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a mail, typed
CODE_LENGTH = 10
MAX_LIVE_CODES = 20


def _key(prefix: str, *parts: str) -> str:
    return f"{prefix}:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _code_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def send_email_code(*, username: str) -> None:
    """Mail a new code to the account (at most once a minute); says nothing about whether the
    account exists."""
    user = User.objects.filter(email=username, is_active=True).first()
    if user is None or not cache.add(
        _key("login-code-sent", username), True, timeout=settings.LOGIN_PROOF_MAIL_INTERVAL
    ):
        return
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    live_key = _key("login-codes", username)
    now = time.time()
    live = [(digest, until) for digest, until in cache.get(live_key, []) if until > now]
    live.append((_code_digest(code), now + settings.LOGIN_PROOF_TTL))
    cache.set(live_key, live[-MAX_LIVE_CODES:], timeout=settings.LOGIN_PROOF_TTL)
    shown = f"{code[:5]}-{code[5:]}"
    with translation.override("ja"):
        subject = _("[Portal] Your login code")
        body = _(
            "Your login code is %(code)s (valid for %(minutes)d minutes, once). Enter it on the "
            "page where you asked for it. Logins to your account are slowed down because of "
            "many failed attempts; if you did not ask for a code, someone else did: nobody can "
            "use it without access to your e-mail."
        ) % {"code": shown, "minutes": settings.LOGIN_PROOF_TTL // 60}
    queue_mail(subject=subject, body=body, recipients=[user.email])


def _take_email_code(username: str, code: str) -> bool:
    live_key = _key("login-codes", username)
    digest, now = _code_digest(normalise(code)), time.time()
    live = [(d, until) for d, until in cache.get(live_key, []) if until > now]
    if not any(hmac.compare_digest(d, digest) for d, _until in live):
        return False
    cache.set(live_key, [(d, u) for d, u in live if d != digest], timeout=settings.LOGIN_PROOF_TTL)
    return True


def _take_totp_code(user: User, code: str) -> TOTPDevice | None:
    """The user's app code, checked without django-otp's per-device throttle (see above) but
    never twice in one time step."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        step = mfa.matching_time_step(device.key, code)
        if step is not None and step > device.last_t:
            device.last_t = step
            device.save(update_fields=["last_t"])
            return device
    return None


def tries_left(request: HttpRequest, username: str) -> bool:
    return cache.get(_key("login-proof-tries", username, client_ip(request) or ""), 0) < (
        settings.LOGIN_PROOF_TRIES
    )


def prove(request: HttpRequest, *, username: str, code: str) -> bool:
    """Check a code for the account; on success this browser may log in to it at once."""
    tries_key = _key("login-proof-tries", username, client_ip(request) or "")
    cache.add(tries_key, 0, timeout=3600)
    try:
        cache.incr(tries_key)
    except ValueError:
        cache.set(tries_key, 1, timeout=3600)
    user = User.objects.filter(email=username, is_active=True).first()
    if user is None:
        return False
    device = None
    if mfa.TOTP_CODE.fullmatch(mfa.normalise_code(code)):
        device = _take_totp_code(user, code)
        if device is None:
            return False
    elif not _take_email_code(username, code):
        return False
    request.session[PROOF_SESSION] = {
        "user": user.pk,
        "until": time.time() + settings.LOGIN_PROOF_TTL,
        "device": device.persistent_id if device else "",
    }
    return True


def proof_for(request: HttpRequest, username: str) -> dict | None:
    """This browser's proof for the account, while it lasts."""
    proof = getattr(request, "session", {}).get(PROOF_SESSION)
    if not proof or proof["until"] < time.time():
        return None
    if not User.objects.filter(pk=proof["user"], email=username).exists():
        return None
    return proof
