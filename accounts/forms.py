from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockout
from accounts.models import User


class ThrottledLoginForm(AuthenticationForm):
    """Every login form (the portal's and the admin site's): an account under attack is slowed
    down before the password is checked, and each failure may raise the alert (lockout.py)."""

    def clean(self):
        request = self.request
        username = lockout.login_username(request, self.cleaned_data)
        if request is None or not username:  # nothing to count it against
            return super().clean()
        if not lockout.admit_login_attempt(request, username):
            raise ValidationError(
                _(
                    "This account has had many failed logins, so logging in to it is slowed "
                    "down for now. Wait a little and try again, or use a browser you have "
                    "logged in with before."
                ),
                code="slowed_down",
            )
        try:
            return super().clean()
        except ValidationError:
            lockout.note_login_failure(request, username)
            raise


class LoginForm(ThrottledLoginForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class AdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    pass


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Throttled: the current password is a password guess like a login."""

    def __init__(self, user, *args, ip_address: str | None = None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.ip_address = ip_address

    def clean_old_password(self):
        if lockout.password_change_refused(self.user):
            minutes = settings.PASSWORD_CHANGE_WINDOW // 60
            message = ngettext(
                "The current password was entered wrongly too many times. For your security, "
                "try again in %(minutes)d minute.",
                "The current password was entered wrongly too many times. For your security, "
                "try again in %(minutes)d minutes.",
                minutes,
            )
            raise ValidationError(message % {"minutes": minutes}, code="throttled")
        try:
            return super().clean_old_password()
        except ValidationError:
            lockout.note_password_change_failure(user=self.user, ip_address=self.ip_address)
            raise


class LoginProofForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=20,
        help_text=_(
            "The 6-digit code from your authenticator app, or the code we sent you by e-mail."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].lower()


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows for this portal."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "organisation", "role"]
