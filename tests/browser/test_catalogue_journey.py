import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.pages import log_in
from tests.factories import load_catalogue, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_logs_in_browses_searches_and_opens_an_item(page: Page, live_server):
    load_catalogue()
    reviewer = user_with_role(Role.REVIEWER)
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    log_in(page, live_server, reviewer.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")
    page.get_by_role("link", name="チェックリストを見る").click()

    expect(page.get_by_role("heading", name="組織")).to_be_visible()
    expect(page.get_by_text("出典未確認").first).to_be_visible()
    page.get_by_label("項目を検索").fill("暗号化")
    page.get_by_role("button", name="検索").click()
    expect(page.get_by_role("status")).to_contain_text("2 件")  # SYS-3 and EXT-11
    page.get_by_role("link", name=re.compile("通信のセキュリティ")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("SYS-3")
    expect(page.get_by_role("heading", name=re.compile("^要約"))).to_be_visible()
    expect(page.get_by_role("heading", name="出典")).to_be_visible()
    page.screenshot(path="test-results/catalogue-item.png", full_page=True)
    assert errors == [], errors  # includes Content-Security-Policy violations
