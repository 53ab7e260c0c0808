"""Logging in (with a second factor), setting MFA up, and the throttled password change."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import lockout, login_proof, mfa, services
from accounts.forms import (
    EnrolForm,
    LoginForm,
    LoginProofForm,
    PasswordChangeForm,
    SecondFactorForm,
)
from accounts.http import client_ip

ENROL_KEY_SESSION = "mfa_enrol_key"  # the key being set up, kept until a code confirms it
RECOVERY_CODES_SESSION = "mfa_recovery_codes"  # shown once, on the next page


class LoginView(auth_views.LoginView):
    """Django's login; a browser that completes a login becomes a known device (lockout.py)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {**super().get_initial(), "username": self.request.GET.get("email", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["slowed_down"] = form.has_error(NON_FIELD_ERRORS, "slowed_down")
        context["email"] = form.data.get("username", "")
        return context

    def form_valid(self, form):
        user = form.get_user()
        proof = login_proof.proof_for(self.request, user.email)
        response = super().form_valid(form)
        self.request.session.pop(login_proof.PROOF_SESSION, None)
        device = Device.from_persistent_id(proof["device"]) if proof and proof["device"] else None
        if device is not None and device.user_id == user.pk:
            otp_login(self.request, device)  # the app's code, proven just before the password
        elif mfa.has_device(user):
            return response  # the known-device cookie comes after the second factor
        lockout.remember_device(self.request, response, user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "ip_address": client_ip(self.request)}


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete_login(request, device):
    """The second factor passed: mark the session verified and this browser as known."""
    request.session.cycle_key()  # a new session id for the raised privilege
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        message = ngettext(
            "You used a recovery code; %(count)d is left.",
            "You used a recovery code; %(count)d are left.",
            left,
        )
        messages.warning(request, message % {"count": left})
    response = redirect(_next_url(request))
    lockout.remember_device(request, response, request.user)
    return response


def _wait_message(seconds: int) -> str:
    message = ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    )
    return message % {"seconds": seconds}


@require_http_methods(["GET", "POST"])
@login_required
def mfa_verify(request):
    """The second login step: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified() or not mfa.has_device(request.user):
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        if wait := mfa.seconds_until_retry(request.user):
            form.add_error("code", _wait_message(wait))
        elif device := services.verify_second_factor(
            user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        ):
            return _complete_login(request, device)
        else:
            form.add_error("code", _("The code is not valid. Check your phone's clock and retry."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/user_mfa_verify.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def mfa_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    if mfa.has_device(request.user):
        messages.info(request, _("Multi-factor authentication is already set up."))
        return redirect("accounts:mfa")
    key = request.session.setdefault(ENROL_KEY_SESSION, mfa.new_key())
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = services.enrol_totp_device(
                user=request.user,
                key=key,
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            del request.session[ENROL_KEY_SESSION]
            request.session[RECOVERY_CODES_SESSION] = codes
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('accounts:mfa_recovery_codes')}?{query}")
    context = {
        "form": form,
        "qr_code": mfa.qr_code_svg(request.user, key),
        "secret": mfa.secret_text(key),
        "required": mfa.is_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/user_mfa_enrol.html", context)


@require_safe
@login_required
def mfa_recovery_codes(request):
    """The recovery codes, once, right after enrolment: only their owner ever sees them."""
    codes = request.session.pop(RECOVERY_CODES_SESSION, None)
    if not codes:
        return redirect("accounts:mfa")
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "accounts/user_recovery_codes.html", context)


@require_safe
@login_required
def mfa_status(request):
    recovery = StaticDevice.objects.filter(user=request.user, confirmed=True).first()
    context = {
        "enabled": mfa.has_device(request.user),
        "required": mfa.is_required(request.user),
        "recovery_codes_left": recovery.token_set.count() if recovery else 0,
    }
    return render(request, "accounts/user_mfa.html", context)


@require_http_methods(["GET", "POST"])
def login_proof_view(request):
    """Under attack, a new browser proves a second factor and then logs in at once."""
    form = LoginProofForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if form.is_valid():
        email, code = form.cleaned_data["email"], form.cleaned_data["code"]
        query = urlencode({"email": email})
        if "send" in request.POST:
            login_proof.send_email_code(username=email)
            messages.info(
                request, _("If this address belongs to an account, a code is on its way.")
            )
            return redirect(f"{reverse('accounts:login_proof')}?{query}")
        if not code:
            form.add_error("code", _("Enter the code, or have one sent by e-mail."))
        elif not login_proof.tries_left(request, email):
            form.add_error("code", _("Too many wrong codes from this network. Try again later."))
        elif login_proof.prove(request, username=email, code=code):
            messages.success(request, _("Confirmed. Now log in with your password."))
            return redirect(f"{reverse('login')}?{query}")
        else:
            form.add_error("code", _("The code is not valid or has expired."))
    status = 400 if form.errors else 200
    return render(request, "accounts/user_login_proof.html", {"form": form}, status=status)
