"""Login under attack: during a sustained attack from many addresses, which takes every slot for
unknown browsers, the real user on a new browser still gets in by proving a second factor first:
the authenticator app's code (MFA users) or a code sent by e-mail (everyone)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from outbox.models import OutgoingMail
from tests.accounts.test_lockout import WRONG, attack, client_at, log_in
from tests.accounts.test_mfa import code_for, enrol
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db
ROUNDS = 16
CODE = re.compile(r"\b([A-Z2-9]{5}-[A-Z2-9]{5})\b")


@pytest.fixture(autouse=True)
def under_attack(settings):
    cache.clear()
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 5
    yield settings
    cache.clear()


def attacker_round(email: str, number: int) -> None:
    """What the attack sends between two attempts of the user: a wrong password from a new
    address, which takes the slot, and wrong codes at the proof page."""
    bot = client_at(f"203.0.113.{100 + number}")
    assert log_in(bot, email, WRONG).status_code == 200
    for guess in ("000000", "123456", "ABCDE-FGHJK"):
        bot.post(reverse("accounts:login_proof"), {"email": email, "code": guess})


def prove(client: Client, email: str, code: str):
    return client.post(reverse("accounts:login_proof"), {"email": email, "code": code})


def mailed_code(email: str) -> str:
    mail = OutgoingMail.objects.filter(recipients=[email]).order_by("-id").first()
    assert mail is not None
    found = CODE.search(mail.body)
    assert found is not None
    return found.group(1)


def test_without_a_proof_the_new_browser_is_refused_and_shown_the_way_in():
    user = user_with_role(Role.AGGREGATOR_STAFF)
    attack(user.email, 5)
    attacker_round(user.email, 0)
    refused = log_in(client_at("198.51.100.20"), user.email)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    assert reverse("accounts:login_proof") in refused.content.decode()


def test_a_user_without_mfa_gets_in_every_time_with_a_code_sent_by_e_mail(under_attack):
    under_attack.LOGIN_PROOF_MAIL_INTERVAL = 0  # each round is a later minute
    user = user_with_role(Role.AGGREGATOR_STAFF)
    attack(user.email, 5)
    got_in = 0
    for number in range(ROUNDS):
        attacker_round(user.email, number)
        browser = client_at(f"198.51.100.{number + 1}")  # a new browser each time
        browser.post(reverse("accounts:login_proof"), {"email": user.email, "send": "1"})
        assert prove(browser, user.email, mailed_code(user.email)).status_code == 302
        response = log_in(browser, user.email)
        got_in += response.status_code == 302 and "_auth_user_id" in browser.session
    assert got_in == ROUNDS


def test_an_mfa_user_gets_in_every_time_with_the_app_code_which_also_counts_as_second_factor():
    user = user_with_role(Role.REVIEWER)
    device, _codes = enrol(user)
    attack(user.email, 5)
    got_in = 0
    for number in range(ROUNDS):
        attacker_round(user.email, number)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the next 30 seconds
        browser = client_at(f"198.51.100.{number + 1}")
        assert prove(browser, user.email, code_for(device.key)).status_code == 302
        response = log_in(browser, user.email)
        home = browser.get(reverse("home"))
        got_in += response.status_code == 302 and home.status_code == 200  # no code asked again
    assert got_in == ROUNDS


def test_a_code_requested_by_the_attacker_reaches_the_user_and_works_for_them():
    user = user_with_role(Role.AGGREGATOR_STAFF)
    attack(user.email, 5)
    bot = client_at("203.0.113.200")
    bot.post(reverse("accounts:login_proof"), {"email": user.email, "send": "1"})
    browser = client_at("198.51.100.30")
    browser.post(reverse("accounts:login_proof"), {"email": user.email, "send": "1"})
    codes = [mail for mail in OutgoingMail.objects.all() if CODE.search(mail.body)]
    assert len(codes) == 1  # one a minute: the user's request sent nothing new
    assert prove(browser, user.email, mailed_code(user.email)).status_code == 302
    assert log_in(browser, user.email).status_code == 302


def test_codes_are_single_use_bound_to_their_account_and_limited_per_address(under_attack):
    user, other = user_with_role(Role.AGGREGATOR_STAFF), user_with_role(Role.AGGREGATOR_STAFF)
    client = client_at("198.51.100.40")
    client.post(reverse("accounts:login_proof"), {"email": user.email, "send": "1"})
    code = mailed_code(user.email)
    assert prove(client, other.email, code).status_code == 400  # another account's code
    assert prove(client, user.email, code.lower().replace("-", " ")).status_code == 302
    assert prove(client_at("198.51.100.41"), user.email, code).status_code == 400  # used up
    for _ in range(under_attack.LOGIN_PROOF_TRIES):
        prove(client, user.email, "000000")
    response = prove(client, user.email, "000000")
    assert "間違ったコードが何度も" in response.content.decode()
    # A nonexistent account is answered like any other: nothing is sent, nothing revealed.
    response = client.post(
        reverse("accounts:login_proof"), {"email": "nobody@example.jp", "send": "1"}
    )
    assert response.status_code == 302
    assert not OutgoingMail.objects.filter(recipients=["nobody@example.jp"]).exists()


def test_the_app_code_proof_does_not_let_a_wrong_password_in():
    user = user_with_role(Role.REVIEWER)
    device, _codes = enrol(user)
    attack(user.email, 5)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    browser = client_at("198.51.100.50")
    assert prove(browser, user.email, code_for(device.key)).status_code == 302
    assert log_in(browser, user.email, WRONG).status_code == 200
    assert "_auth_user_id" not in browser.session
    assert log_in(browser, user.email, PASSWORD).status_code == 302
