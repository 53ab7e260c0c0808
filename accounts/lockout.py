"""Login throttling on top of django-axes, without handing attackers a denial of service.

django-axes locks an (account, client address) pair after AXES_FAILURE_LIMIT failures: one
address cannot go on guessing, and the real user at any other address still logs in. Guesses
spread over many addresses get past that, so failures on one account are also counted across all
addresses (axes's failure log). At LOGIN_ACCOUNT_FAILURE_LIMIT failures within
LOGIN_ACCOUNT_WINDOW the account is under attack, and then:

- the user and the admins get an e-mail, and the audit log an event, once per window;
- password checks for the account from browsers that have never completed a login to it are
  admitted at most once per LOGIN_ACCOUNT_SLOWDOWN seconds, whatever their address; the others
  are refused without checking the password (so a refusal tells the attacker nothing and is not
  counted as a failure);
- a browser that proved a second factor first (a TOTP code, or a code sent by e-mail) is not
  slowed either: the real user on a new browser still gets in (login_proof.py);
- a browser that holds the account's known-device cookie (set on every complete login, after the
  second factor when there is one) is not slowed: the real user's usual browser still gets in at
  once, with axes's per-address lockout as its only limit.

Why not the alternatives: locking the account is the denial of service this replaces; a fixed
delay on every attempt ties up server workers while a botnet simply sends in parallel; demanding a
TOTP code only helps users who have one. Rate-limiting unknown browsers (OWASP's "device cookies")
caps an attack at 3600 / LOGIN_ACCOUNT_SLOWDOWN guesses an hour; its cost, during an attack only,
is that the user on a new browser may be asked to wait a little, and the e-mail tells them why.

The slot and the password-change counter live in Django's cache: configure a shared cache
(CACHES) when several server processes run, or each process keeps its own count.
"""

import hashlib
from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts import login_proof, services
from accounts.http import client_ip
from accounts.models import User

KNOWN_DEVICE_COOKIE = "portal_known_device"
KNOWN_DEVICE_SALT = "accounts.lockout.known-device"
KNOWN_DEVICE_MAX_AGE = 180 * 24 * 60 * 60  # seconds
KNOWN_DEVICE_USERS = 5  # a shared office computer remembers its last few users


def login_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """django-axes's name for the account (AXES_USERNAME_CALLABLE): the e-mail in lower case, as
    the login form normalises it, so that case variants count against one account."""
    source = credentials or getattr(request, "POST", None) or {}
    username = str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
    return username or None


def _key(prefix: str, value: str) -> str:
    return f"{prefix}:{hashlib.sha256(value.encode()).hexdigest()}"  # any e-mail, a safe key


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_ACCOUNT_WINDOW)


def recent_failures(username: str) -> int:
    """Failed logins on the account within the window, from any address."""
    return AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=_window_start()
    ).count()


def _known_user_ids(request: HttpRequest) -> list[int]:
    try:
        ids = signing.loads(
            request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""),
            salt=KNOWN_DEVICE_SALT,
            max_age=KNOWN_DEVICE_MAX_AGE,
        )
    except signing.BadSignature:
        return []
    return [pk for pk in ids if isinstance(pk, int)] if isinstance(ids, list) else []


def remember_device(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """Mark this browser as one ``user`` completed a login from (call after the last factor)."""
    ids = [user.pk, *(pk for pk in _known_user_ids(request) if pk != user.pk)]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.dumps(ids[:KNOWN_DEVICE_USERS], salt=KNOWN_DEVICE_SALT),
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _is_known_device(request: HttpRequest, username: str) -> bool:
    ids = _known_user_ids(request)
    return bool(ids) and User.objects.filter(email=username, pk__in=ids).exists()


def admit_login_attempt(request: HttpRequest, username: str) -> bool:
    """False: refuse this attempt without checking the password (see the module's docstring)."""
    if recent_failures(username) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return True
    if _is_known_device(request, username) or login_proof.proof_for(request, username):
        return True
    # cache.add is atomic: of simultaneous attempts, one takes the slot.
    return cache.add(_key("login-slot", username), True, timeout=settings.LOGIN_ACCOUNT_SLOWDOWN)


def note_login_failure(request: HttpRequest, username: str) -> None:
    """After a failed login (axes has logged it): alert once the account is under attack."""
    failures = recent_failures(username)
    if failures < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return
    user = User.objects.filter(email=username).first()
    if user is not None:
        services.alert_login_failures(
            user=user,
            failures=failures,
            window_start=_window_start(),
            ip_address=client_ip(request),
        )


def password_change_refused(user: User) -> bool:
    """Too many wrong current passwords in the password-change form within the window."""
    failures = cache.get(_key("password-change", str(user.pk)), 0)
    return failures >= settings.PASSWORD_CHANGE_FAILURE_LIMIT


def note_password_change_failure(*, user: User, ip_address: str | None) -> None:
    key = _key("password-change", str(user.pk))
    # A fixed window from the first failure: add starts it, incr counts within it.
    cache.add(key, 0, timeout=settings.PASSWORD_CHANGE_WINDOW)
    try:
        failures = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, failures := 1, timeout=settings.PASSWORD_CHANGE_WINDOW)
    if failures == settings.PASSWORD_CHANGE_FAILURE_LIMIT:
        services.record_password_change_throttle(user=user, ip_address=ip_address)
