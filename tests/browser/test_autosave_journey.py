"""Nothing typed is lost (issue 18): an item saves itself when the user leaves it, with the same
per-item endpoint and version check as its button, and shows 未保存 / 保存中 / 保存済 / 競合;
leaving the page with unsaved text asks first."""

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from accounts.models import Role
from tests.browser.pages import NARROW, WIDE, log_in
from tests.factories import AggregatorFactory, load_catalogue, make_filing, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366", "390"])


def open_checklist(page: Page, live_server, filing) -> None:
    page.goto(f"{live_server.url}/filings/{filing.pk}/checklist/ORG/")
    expect(page.locator("#item-ORG-1")).to_be_visible()


@WIDTHS
def test_an_item_saves_itself_when_the_user_leaves_it(page: Page, live_server, viewport):
    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    page.set_viewport_size(viewport)
    log_in(page, live_server, staff.email)
    open_checklist(page, live_server, filing)
    item = page.locator("#item-ORG-1")
    item.get_by_label("状態").select_option("implemented")
    expect(item.locator("[data-autosave-state]")).to_have_text("未保存")
    item.get_by_label("実施内容").fill("取締役会で基本方針を承認した。")
    page.locator("#item-ORG-2").get_by_label("状態").click()  # on to the next item
    expect(page.locator("#item-ORG-1 [data-autosave-state]")).to_have_text("保存済")
    expect(page.locator("#item-ORG-2").get_by_label("状態")).to_be_focused()  # focus not taken
    answer = filing.answers.get(item__code="ORG-1")
    assert (answer.status, answer.implementation) == (
        "implemented",
        "取締役会で基本方針を承認した。",
    )
    page.screenshot(path=f"test-results/autosave-{viewport['width']}.png")


@WIDTHS
def test_leaving_the_page_with_unsaved_text_asks_first(page: Page, live_server, viewport):
    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    page.set_viewport_size(viewport)
    log_in(page, live_server, staff.email)
    open_checklist(page, live_server, filing)
    held: list[Route] = []
    # A slow network: the save is still under way when the user leaves.
    page.route("**/answers/**", lambda route: held.append(route))
    page.once("dialog", lambda dialog: dialog.dismiss())  # "stay on this page"
    page.locator("#item-ORG-1").get_by_label("実施内容").fill("書きかけの説明")
    sections = page.get_by_role("navigation", name="チェックリストの区分")
    with page.expect_event("dialog") as asked:
        sections.get_by_role("link", name="設備・システムのセキュリティ").click(no_wait_after=True)
    assert asked.value.type == "beforeunload"
    assert "/checklist/ORG/" in page.url  # still here
    expect(page.locator("#item-ORG-1").get_by_label("実施内容")).to_have_value("書きかけの説明")
    for route in held:  # the network catches up
        route.continue_()
    page.unroute("**/answers/**")
    expect(page.locator("#item-ORG-1 [data-autosave-state]")).to_have_text("保存済")


@WIDTHS
def test_a_colleagues_save_in_between_is_a_conflict_that_keeps_the_typed_text(
    page: Page, browser: Browser, browser_context_args, live_server, viewport
):
    load_catalogue()
    company = AggregatorFactory.create()
    staff = user_with_role(Role.AGGREGATOR_STAFF, company)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    filing = make_filing(staff)
    page.set_viewport_size(viewport)
    log_in(page, live_server, staff.email)
    open_checklist(page, live_server, filing)

    # The officer, in a browser of their own, saves the same item first.
    colleague = browser.new_context(**{**browser_context_args, "viewport": viewport})
    other = colleague.new_page()
    log_in(other, live_server, officer.email)
    open_checklist(other, live_server, filing)
    theirs = other.locator("#item-ORG-1")
    theirs.get_by_label("状態").select_option("partial")
    theirs.get_by_label("実施内容").fill("責任者が書いた説明")
    theirs.get_by_role("button", name="ORG-1 を保存").click()
    expect(theirs.get_by_role("status")).to_contain_text("ORG-1 を保存しました")
    colleague.close()

    mine = page.locator("#item-ORG-1")
    mine.get_by_label("状態").select_option("implemented")
    mine.get_by_label("実施内容").fill("担当者が書いた説明")
    page.locator("#item-ORG-2").get_by_label("状態").click()  # leaving ORG-1 saves it
    expect(page.locator("#item-ORG-1 [data-autosave-state]")).to_have_text("競合")
    mine = page.locator("#item-ORG-1")
    expect(mine.get_by_role("alert").first).to_contain_text("責任者が書いた説明")
    expect(mine.get_by_label("実施内容")).to_have_value("担当者が書いた説明")
    assert filing.answers.get(item__code="ORG-1").implementation == "責任者が書いた説明"
    mine.get_by_role("button", name="ORG-1 を保存").click()  # the user decides: theirs replaced
    expect(mine.get_by_role("status")).to_contain_text("ORG-1 を保存しました")
    assert filing.answers.get(item__code="ORG-1").implementation == "担当者が書いた説明"
    page.screenshot(path=f"test-results/autosave-conflict-{viewport['width']}.png")
