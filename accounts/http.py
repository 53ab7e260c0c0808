"""Request-level helpers shared by the apps' views: role checks and the client address."""

from functools import wraps

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


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
