"""A reviewer sets up MFA at the first login (enforced, as in production) and logs in with it."""

import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts.models import AuditAction, AuditEvent, Role
from tests.browser.pages import log_in, log_out
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app would show, from the key as the page prints it."""
    clock = TOTP(b32decode(secret.replace(" ", "")))
    clock.time = time.time() + steps_ahead * 30
    return f"{clock.token():06d}"


@override_settings(MFA_ENFORCED=True)
def test_reviewer_enrols_sees_recovery_codes_once_and_logs_in_with_a_code(page: Page, live_server):
    reviewer = user_with_role(Role.REVIEWER)

    # The first login leads to the set-up, and nowhere else, until it is done.
    log_in(page, live_server, reviewer.email)
    expect(page.get_by_role("heading", name="多要素認証を設定")).to_be_visible()
    expect(page.get_by_text("あなたのロールでは多要素認証が必須です")).to_be_visible()
    expect(page.locator("svg.mfa-qr")).to_be_visible()
    page.get_by_role("link", name="審査キュー").first.click()
    expect(page.get_by_role("heading", name="多要素認証を設定")).to_be_visible()

    secret = page.locator("#mfa-secret").inner_text()
    page.get_by_label("アプリの確認コード").fill(code_for(secret))
    page.get_by_role("button", name="確認して有効にする").click()
    expect(page.get_by_role("heading", name="リカバリーコード")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="保管しました。続ける").click()
    expect(page.get_by_role("heading", name="リカバリーコード")).to_be_hidden()
    page.get_by_role("link", name="審査キュー").first.click()
    expect(page.get_by_role("heading", name="審査キュー")).to_be_visible()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ENROL, actor=reviewer).exists()
    log_out(page)

    # The next login asks for the code after the password.
    log_in(page, live_server, reviewer.email)
    expect(page.get_by_role("heading", name="確認コードの入力")).to_be_visible()
    # The set-up used the current code: the app's next one logs in.
    page.get_by_label("確認コード").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="確認コードの入力")).to_be_hidden()
    page.get_by_role("link", name="審査キュー").first.click()
    expect(page.get_by_role("heading", name="審査キュー")).to_be_visible()
