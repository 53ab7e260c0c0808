"""Multi-factor authentication: enforced for the regulator roles, offered to everyone, audited."""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, services
from accounts.lockout import KNOWN_DEVICE_COOKIE
from accounts.models import AuditAction, AuditEvent, Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enforced(settings):
    settings.MFA_ENFORCED = True
    return settings


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    clock = TOTP(bytes.fromhex(key_hex))
    clock.time = time.time() + steps_ahead * 30
    return f"{clock.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    key = mfa.new_key()
    return services.enrol_totp_device(user=user, key=key, code=code_for(key), ip_address=None)


def password_login(email: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_development_offers_mfa_without_enforcing_it(settings, users):
    assert not settings.MFA_ENFORCED  # DJANGO_DEBUG=1, as in development
    client = password_login(users[Role.ADMIN].email)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.REVIEW_LEAD, Role.ADMIN])
def test_enforced_roles_without_a_device_must_enrol_before_anything_else(enforced, users, role):
    client = password_login(users[role].email)
    enrol_url = reverse("accounts:mfa_enrol")
    for url in [reverse("home"), reverse("reviews:review_queue"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(enrol_url)
    assert client.get(reverse("home"))["Location"] == f"{enrol_url}?next=/"
    assert client.get(enrol_url).status_code == 200
    # The language switch and logging out stay reachable.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.AGGREGATOR_STAFF, Role.AGGREGATOR_OFFICER])
def test_aggregator_users_are_offered_mfa_not_forced(enforced, users, role):
    client = password_login(users[role].email)
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert reverse("accounts:mfa_enrol") in page


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(enforced, users):
    user = users[Role.REVIEWER]
    client = password_login(user.email)
    page = client.get(reverse("accounts:mfa_enrol") + "?next=/reviews/")
    content = page.content.decode()
    key = client.session["mfa_enrol_key"]
    assert "<svg" in content and "<path" in content
    assert "style=" not in content and "<script>" not in content  # the CSP allows neither
    assert mfa.secret_text(key) in content
    # Reloading keeps the same key: the QR code already scanned stays valid.
    client.get(reverse("accounts:mfa_enrol"))
    assert client.session["mfa_enrol_key"] == key

    wrong = client.post(reverse("accounts:mfa_enrol"), {"code": "000000", "next": "/reviews/"})
    assert "確認コードが一致しません" in wrong.content.decode()
    assert not user_has_device(user)

    response = client.post(
        reverse("accounts:mfa_enrol"), {"code": code_for(key), "next": "/reviews/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_recovery_codes"))
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page)
    assert len(codes) == 10
    assert 'href="/reviews/"' in codes_page
    assert set(codes) == set(
        StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    )
    # Shown once only.
    assert client.get(reverse("accounts:mfa_recovery_codes")).status_code == 302
    # Enrolled and verified in this session: the portal opens.
    assert client.get(reverse("reviews:review_queue")).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    event = AuditEvent.objects.get(action=AuditAction.MFA_ENROL)
    assert (event.actor, event.target_id) == (user, str(user.pk))
    # A second enrolment is refused.
    assert client.get(reverse("accounts:mfa_enrol"))["Location"] == reverse("accounts:mfa")


def test_a_user_with_a_device_enters_a_code_after_the_password(users):
    user = users[Role.AGGREGATOR_STAFF]  # offered, not required: still asked once enrolled
    device, _codes = enrol(user)
    client = password_login(user.email)
    assert KNOWN_DEVICE_COOKIE not in client.cookies  # the password alone is not a login
    response = client.get(reverse("filings:filing_list"))
    verify_url = reverse("accounts:mfa_verify")
    assert response["Location"] == f"{verify_url}?next={reverse('filings:filing_list')}"
    wrong = client.post(verify_url, {"code": "123456"})
    assert "確認コードが正しくありません" in wrong.content.decode()
    code = code_for(device.key, steps_ahead=1)  # the enrolment used the current step
    # django-otp's throttle: right after a wrong code even the right one waits a second.
    throttled = client.post(verify_url, {"code": code})
    assert "1 秒待って" in throttled.content.decode()
    time.sleep(1.1)
    response = client.post(verify_url, {"code": code, "next": reverse("filings:filing_list")})
    assert response["Location"] == reverse("filings:filing_list")
    assert client.get(reverse("filings:filing_list")).status_code == 200
    assert KNOWN_DEVICE_COOKIE in client.cookies

    # The same code cannot be replayed in another session.
    other = password_login(user.email)
    replayed = other.post(verify_url, {"code": code})
    assert "確認コードが正しくありません" in replayed.content.decode()
    assert other.get(reverse("home")).status_code == 302


def test_the_enrolment_code_cannot_be_replayed_to_log_in(users):
    user = users[Role.REVIEWER]
    key = mfa.new_key()
    code = code_for(key)
    services.enrol_totp_device(user=user, key=key, code=code, ip_address=None)
    client = password_login(user.email)
    response = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert "確認コードが正しくありません" in response.content.decode()


def test_a_recovery_code_works_once_and_is_audited(users):
    user = users[Role.REVIEWER]
    _device, codes = enrol(user)
    client = password_login(user.email)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.MFA_USE_RECOVERY_CODE)
    assert (event.actor, event.data["remaining"]) == (user, 9)
    again = password_login(user.email)
    assert again.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 200
    assert again.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.MFA_USE_RECOVERY_CODE).count() == 1


def test_the_admin_site_requires_the_second_factor(users):
    admin = users[Role.ADMIN]
    device, _codes = enrol(admin)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": admin.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(device.key, steps_ahead=1)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_admin_resets_a_users_mfa_and_it_is_audited(enforced, users):
    admin, reviewer = users[Role.ADMIN], users[Role.REVIEWER]
    admin_device, _codes = enrol(admin)
    enrol(reviewer)
    client = password_login(admin.email)
    client.post(reverse("accounts:mfa_verify"), {"code": code_for(admin_device.key, steps_ahead=1)})
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_multi_factor", "_selected_action": [reviewer.pk]},
    )
    assert response.status_code == 302
    assert not user_has_device(reviewer, confirmed=None)
    assert user_has_device(admin)
    event = AuditEvent.objects.get(action=AuditAction.MFA_RESET)
    assert (event.actor, event.target_id, event.data["devices"]) == (admin, str(reviewer.pk), 2)
    # The reviewer logs in with the password and is sent to set MFA up again.
    reviewer_client = password_login(reviewer.email)
    assert reviewer_client.get(reverse("home"))["Location"].startswith(
        reverse("accounts:mfa_enrol")
    )


def test_devices_change_only_through_the_audited_services():
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_changelist")
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_static_staticdevice_changelist")


def test_a_new_login_in_the_same_browser_asks_for_the_code_once_a_device_exists(users):
    """The "no second factor needed" note spares the device tables on every page, but only for
    the login that made it."""
    staff = users[Role.AGGREGATOR_STAFF]
    client = password_login(staff.email)
    assert client.get(reverse("home")).status_code == 200  # no device: nothing asked
    enrol(staff)  # set up in another browser meanwhile
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:mfa_verify"))
