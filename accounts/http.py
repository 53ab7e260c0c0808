"""Request-level helpers shared by the apps' views: role checks and the client address."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import AGGREGATOR_ROLES, REGULATOR_ROLES, Role


def role_required(*roles):
    """403 for a signed-in user whose role is not one of ``roles`` (use after login_required)."""
    allowed = set(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in allowed:
                raise PermissionDenied(_("Your role does not allow this."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


aggregator_required = role_required(*AGGREGATOR_ROLES)
officer_required = role_required(Role.AGGREGATOR_OFFICER)
regulator_required = role_required(*REGULATOR_ROLES)
review_lead_required = role_required(Role.REVIEW_LEAD)


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the nearest trusted proxy saw it (audit log and lockout).

    With ``TRUSTED_PROXY_COUNT`` = N, each of the N proxies appends the address it received the
    request from to ``TRUSTED_PROXY_HEADER``, so the N-th entry from the right was written by the
    outermost trusted proxy. Anything further left came from the client and can be forged, so it
    is never read. A missing, short or malformed header falls back to REMOTE_ADDR: an attacker
    who mangles it is counted under the proxy's address rather than an address of their choice.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = request.META.get(settings.TRUSTED_PROXY_HEADER, "").split(",")
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote
