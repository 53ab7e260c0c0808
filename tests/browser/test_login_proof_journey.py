"""Under a sustained attack on the account, the real user on a new browser proves it is them with
a code sent by e-mail and logs in at once."""

import os
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import Page, expect

from outbox.models import OutgoingMail
from tests.accounts.test_lockout import attack
from tests.browser.pages import NARROW, WIDE
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = re.compile(r"\b([A-Z2-9]{5}-[A-Z2-9]{5})\b")
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for label, size in (("1366", WIDE), ("390", NARROW)):
        page.set_viewport_size(size)
        page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=True)
    page.set_viewport_size(WIDE)


@override_settings(LOGIN_ACCOUNT_FAILURE_LIMIT=5)
def test_a_user_under_attack_gets_in_from_a_new_browser_with_an_e_mailed_code(
    page: Page, live_server
):
    cache.clear()
    user = user_with_role("aggregator_staff")
    attack(user.email, 6)  # the sixth attempt took the slot for unknown browsers

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("alert").get_by_text("ログイン失敗が多いため")).to_be_visible()
    shoot(page, "login-slowed")
    page.get_by_role("link", name="ご本人ですか？コードで確認すればすぐにログインできます").click()

    expect(page.get_by_role("heading", name="ご本人の確認")).to_be_visible()
    expect(page.get_by_label("メールアドレス")).to_have_value(user.email)
    page.get_by_role("button", name="メールでコードを送信").click()
    expect(page.get_by_text("コードをメールで送信しました")).to_be_visible()
    shoot(page, "login-proof")
    mail = OutgoingMail.objects.filter(recipients=[user.email], body__contains="ログイン用コード")
    found = CODE.search(mail.get().body)
    assert found is not None
    page.get_by_label("コード", exact=True).fill(found.group(1))
    page.get_by_role("button", name="コードを確認").click()

    expect(page.get_by_text("確認しました。パスワードでログインしてください。")).to_be_visible()
    expect(page.get_by_label("メールアドレス")).to_have_value(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("link", name="届出").first).to_be_visible()
    assert "/accounts/login" not in page.url
    cache.clear()
