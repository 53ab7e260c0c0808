"""The client address behind trusted proxies: what the audit log and the lockout see."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.http import client_ip
from accounts.models import AuditAction, AuditEvent, Role
from tests.factories import PASSWORD, user_with_role


def request_with(remote="10.0.0.1", forwarded=None, header="HTTP_X_FORWARDED_FOR"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta[header] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(forwarded="203.0.113.9")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # Entries left of the ones the trusted proxies wrote are the client's own: never read.
        (1, "1.1.1.1, 198.51.100.7", "198.51.100.7"),
        (1, "1.1.1.1,198.51.100.7", "198.51.100.7"),
        (2, "1.1.1.1, 198.51.100.7, 192.0.2.10", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "1.1.1.1, 2001:DB8:0:0::1", "2001:db8::1"),  # normalised, as stored
    ],
)
def test_the_entry_the_outermost_trusted_proxy_wrote(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_with(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("count", "forwarded"),
    [
        (1, None),  # missing
        (1, ""),
        (1, "1.1.1.1, not-an-address"),
        (1, "1.1.1.1, 198.51.100.7:443"),  # with a port: not an address
        (2, "198.51.100.7"),  # fewer entries than proxies
        (1, "1.1.1.1, "),
    ],
)
def test_a_missing_or_malformed_header_falls_back_to_remote_addr(settings, count, forwarded):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_with(forwarded=forwarded)) == "10.0.0.1"


def test_the_header_is_configurable(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    request = request_with(forwarded="198.51.100.7", header="HTTP_X_REAL_IP")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(request_with(forwarded="198.51.100.7")) == "10.0.0.1"


def test_an_invalid_remote_addr_is_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(remote="")) is None


def test_axes_uses_it():
    from axes.helpers import get_client_ip_address

    request = request_with()
    assert get_client_ip_address(request) == client_ip(request)


@pytest.mark.django_db
def test_lockout_counts_per_forwarded_client_not_per_proxy(settings):
    """Behind one proxy every request has the proxy's REMOTE_ADDR: one client's failures must not
    lock out the same account for a client at another address."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = user_with_role(Role.REVIEWER)
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": user.email, "password": "wrong-password-1"})
    locked = attacker.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    # The attacker forging the header's left part does not escape the lockout either.
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    data = {"username": user.email, "password": PASSWORD}
    assert forged.post(reverse("login"), data).status_code == 429
    user_client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = user_client.post(reverse("login"), data)
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_audit_log_records_the_forwarded_client(settings, users):
    settings.TRUSTED_PROXY_COUNT = 1
    admin = users[Role.ADMIN]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    client.force_login(admin)
    target = users[Role.REVIEWER]
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_multi_factor", "_selected_action": [target.pk]},
    )
    event = AuditEvent.objects.get(action=AuditAction.MFA_RESET)
    assert event.ip_address == "198.51.100.7"
