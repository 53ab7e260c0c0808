"""Lockout without denial of service: per account and address, slowed (not locked) per account,
alerts once per window, and a throttled password-change form."""

import pytest
from axes.models import AccessFailureLog
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.lockout import KNOWN_DEVICE_COOKIE
from accounts.models import AuditAction, AuditEvent, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The slot and the password-change counter live in the (process-wide) cache.
    cache.clear()
    yield
    cache.clear()


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attack(email: str, count: int, start: int = 1) -> None:
    """``count`` wrong passwords from as many addresses (each stays under the per-address limit)."""
    for index in range(start, start + count):
        assert log_in(client_at(f"203.0.113.{index}"), email, WRONG).status_code == 200


def test_a_locked_address_does_not_lock_the_real_user_out_elsewhere(settings):
    user = user_with_role(Role.REVIEWER)
    attacker = client_at("203.0.113.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, user.email, WRONG)
    assert log_in(attacker, user.email).status_code == 429
    # Upper case is the same account for the lockout, as for the login form.
    assert log_in(attacker, user.email.upper()).status_code == 429
    response = log_in(client_at("198.51.100.7"), user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_many_failures_across_addresses_alert_the_user_and_admins_once(
    settings, users, django_capture_on_commit_callbacks
):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    user = users[Role.REVIEWER]
    admin = users[Role.ADMIN]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attack(user.email, 5)
    assert not mail.outbox
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_ALERT_FAILURES).exists()
    with django_capture_on_commit_callbacks(execute=True):
        attack(user.email, 1, start=6)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_ALERT_FAILURES)
    assert (event.target_id, event.data["failures"], event.ip_address) == (
        str(user.pk),
        6,
        "203.0.113.6",
    )
    assert sorted(tuple(message.to) for message in mail.outbox) == sorted(
        [(user.email,), (admin.email,)]
    )
    assert all("ログイン" in message.subject for message in mail.outbox)
    # Later failures within the window: no second alert.
    mail.outbox.clear()
    settings.LOGIN_ACCOUNT_SLOWDOWN = 0  # admit every attempt, so each one fails
    with django_capture_on_commit_callbacks(execute=True):
        attack(user.email, 3, start=7)
    assert AccessFailureLog.objects.filter(username=user.email).count() == 9
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_ALERT_FAILURES).count() == 1
    assert not mail.outbox


def test_failures_on_an_unknown_address_do_not_alert(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    attack("nobody@example.jp", 4)
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_ALERT_FAILURES).exists()


def test_an_account_under_attack_is_slowed_for_unknown_browsers_only(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 5
    user = user_with_role(Role.AGGREGATOR_STAFF)
    usual_browser = client_at("198.51.100.7")
    assert log_in(usual_browser, user.email).status_code == 302
    assert KNOWN_DEVICE_COOKIE in usual_browser.cookies
    usual_browser.post(reverse("logout"))
    attack(user.email, 5)

    # Under attack: one unknown browser takes the account's slot, and its guess is checked ...
    assert log_in(client_at("203.0.113.50"), user.email, WRONG).status_code == 200
    failures = AccessFailureLog.objects.filter(username=user.email).count()
    # ... the next unknown browser within the slowdown is refused unchecked and uncounted, even
    # with the right password.
    refused = log_in(client_at("203.0.113.51"), user.email)
    assert refused.status_code == 200
    assert "ログイン失敗が多いため" in refused.content.decode()
    assert AccessFailureLog.objects.filter(username=user.email).count() == failures
    assert "_auth_user_id" not in refused.wsgi_request.session

    # The usual browser is not slowed: it logs in at once.
    response = log_in(usual_browser, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

    # When the slot frees again, an unknown browser with the right password gets in too.
    cache.clear()
    assert log_in(client_at("203.0.113.52"), user.email).status_code == 302


def test_a_forged_known_device_cookie_does_not_pass(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    user = user_with_role(Role.AGGREGATOR_STAFF)
    attack(user.email, 2)
    log_in(client_at("203.0.113.60"), user.email, WRONG)
    forged = client_at("203.0.113.61")
    forged.cookies[KNOWN_DEVICE_COOKIE] = f"[{user.pk}]"
    response = log_in(forged, user.email)
    assert response.status_code == 200
    assert "ログイン失敗が多いため" in response.content.decode()


def test_the_admin_login_is_slowed_down_too(settings, users):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    admin = users[Role.ADMIN]
    attack(admin.email, 3)  # the third one took the slot
    response = client_at("203.0.113.70").post(
        reverse("admin:login"), {"username": admin.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def change_password(client, old):
    new = "a-brand-new-passphrase-42"
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    return client.post(reverse("password_change"), data)


def test_password_change_is_refused_after_five_wrong_current_passwords(settings, users):
    user = users[Role.AGGREGATOR_STAFF]
    client = client_at("198.51.100.7")
    client.force_login(user)
    for _ in range(settings.PASSWORD_CHANGE_FAILURE_LIMIT):
        response = change_password(client, WRONG)
        assert response.status_code == 200
        assert "15 分後" not in response.content.decode()
    refused = change_password(client, PASSWORD)
    assert refused.status_code == 200
    assert "15 分後にもう一度お試しください" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGE_THROTTLE)
    assert (event.actor, event.ip_address) == (user, "198.51.100.7")

    # Another user is not affected; after the window the user can change it.
    other = users[Role.AGGREGATOR_OFFICER]
    other_client = Client()
    other_client.force_login(other)
    assert change_password(other_client, PASSWORD).status_code == 302
    cache.clear()
    assert change_password(client, PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE_THROTTLE).count() == 1
