"""The admin's pages in the browser (issue 18): Japanese app and model names, and axe-clean (the
layout watch runs axe on each page), the item page of a draft included; publishing asks first."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from checklists.models import Catalogue
from checklists.services import create_draft_catalogue
from tests.browser.pages import log_in
from tests.factories import load_catalogue, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_checks_the_draft_catalogue_and_publishes_it_after_seeing_the_changes(
    page: Page, live_server
):
    catalogue = load_catalogue()
    admin_user = user_with_role(Role.ADMIN)
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=admin_user)
    draft.items.filter(code="ORG-1").update(title_ja="体制（改訂）")
    item = draft.items.get(code="ORG-1")
    log_in(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/admin/")
    main = page.locator("#content-main")
    for name in (
        "ログイン制限",
        "バックグラウンド処理",
        "チェックリスト（カタログ）",
        "ログイン試行",
        "処理結果",
    ):
        expect(main).to_contain_text(name)
    for english in ("Axes", "Access attempts", "Checklists", "Task Results"):
        expect(main).not_to_contain_text(english)
    page.goto(f"{live_server.url}/admin/checklists/item/{item.pk}/change/")
    expect(page.locator("#content")).to_contain_text("体制（改訂）")
    page.goto(f"{live_server.url}/admin/checklists/guideline/")
    page.goto(f"{live_server.url}/admin/checklists/catalogue/")
    page.get_by_role("row", name="2026.2").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="操作").select_option("publish_selected")
    page.get_by_role("button", name="実行").click()
    expect(page.locator("#content")).to_contain_text("体制（改訂）")  # the change, before
    assert not Catalogue.objects.get(pk=draft.pk).is_published
    page.get_by_role("button", name="この版を公開する").click()
    expect(page.locator(".messagelist")).to_contain_text("2026.2")
    assert Catalogue.objects.get(pk=draft.pk).is_published
