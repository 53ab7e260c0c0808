from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.urls import reverse

from accounts import mfa

# Reachable before the second factor: the pages that ask for it or set it up, logging in and
# out, and the language switch. Everything else, the admin site included, waits for it.
BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "set_language",
    "accounts:mfa_verify",
    "accounts:mfa_enrol",
    "accounts:login_proof",
}


# Set once a login is found to need no second factor (no device, not required), so that the device
# tables are not read on every page; every login starts without it.
NO_SECOND_FACTOR = "accounts_no_second_factor"


@receiver(user_logged_in)
def _forget_the_last_check(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(NO_SECOND_FACTOR, None)


class SecondFactorMiddleware:
    """After the password, a user with an MFA device enters a code before anything else, and a
    user who must use MFA but has none sets it up first (after django_otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if request.session.get(NO_SECOND_FACTOR) == user.pk:
            return None
        if mfa.has_device(user):
            step = "accounts:mfa_verify"
        elif mfa.is_required(user):
            step = "accounts:mfa_enrol"
        else:
            request.session[NO_SECOND_FACTOR] = user.pk
            return None
        return redirect_to_login(request.get_full_path(), reverse(step))
