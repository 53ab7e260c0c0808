"""A 500-item catalogue filled in section by section, page by page, and submitted (issue 10);
and the same save without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from checklists.models import section_order
from filings.models import Filing
from tests.browser.pages import log_in
from tests.factories import (
    AggregatorFactory,
    answer_all,
    large_catalogue,
    load_catalogue,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_at(filing, section: str, index: int) -> str:
    """The code of the item at ``index`` (from 0) of a section, in checklist order."""
    answers = filing.answers.filter(item__is_criterion=True, item__category__code=section)
    return list(answers.order_by(*section_order("item__")).select_related("item"))[index].item.code


def fill(page: Page, code: str, status: str, text: str, target: str = ""):
    item = page.locator(f"#item-{code}")
    item.get_by_label("状態").select_option(status)
    item.get_by_label("実施内容").fill(text)
    if target:
        item.get_by_label("対応予定日").fill(target)
    item.get_by_role("button", name=f"{code} を保存").click()
    expect(item.get_by_role("status")).to_contain_text(f"{code} を保存しました")


def test_an_officer_fills_a_500_item_filing_by_section_and_page_and_submits(
    page: Page, live_server
):
    catalogue = load_catalogue()
    admin = user_with_role(Role.ADMIN)
    large_catalogue(catalogue, admin, 500)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = answer_all(make_filing(officer))
    assert filing.answers.count() == 500
    # Three items left open: page 1 of 組織, page 2 of 運用, and the last page of 運用.
    open_items = [code_at(filing, "ORG", 0), code_at(filing, "OPS", 25), code_at(filing, "OPS", -1)]
    filing.answers.filter(item__code__in=open_items).update(status="", implementation="")
    later = (timezone.localdate() + timedelta(days=120)).isoformat()

    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="チェックリスト", exact=True).last.click()
    sections = page.get_by_role("navigation", name="チェックリストの区分")
    expect(sections).to_contain_text("497/500 記入済")
    fill(page, open_items[0], "implemented", "方針を承認した。")
    expect(sections).to_contain_text("498/500 記入済")

    sections.get_by_role("link", name="運用").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("運用")
    page.get_by_role("navigation", name="ページ").get_by_role("link", name="次へ").click()
    fill(page, open_items[1], "partial", "手順を整備中。", later)
    pager = page.get_by_role("navigation", name="ページ")
    while pager.get_by_role("link", name="次へ").count():
        pager.get_by_role("link", name="次へ").click()
    fill(page, open_items[2], "implemented", "監視を開始した。")
    expect(sections).to_contain_text("500/500 記入済")
    page.screenshot(path="test-results/checklist-500.png", full_page=False)

    page.get_by_role("link", name="確認と提出").first.click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="届出を提出").click()
    receipt = Filing.objects.get(pk=filing.pk).receipt_number
    assert receipt
    expect(page.locator("#receipt-number")).to_have_text(receipt)


def test_without_javascript_a_save_posts_and_returns_to_the_item(
    browser: Browser, browser_context_args, live_server
):
    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 1366, "height": 900},
        # Bootstrap scrolls smoothly to an anchor: measured mid-scroll, it seemed out of view.
        reduced_motion="reduce",
    )
    page = context.new_page()
    try:
        # Without JavaScript the locale emulation does not reach Accept-Language: the user picks
        # Japanese in the footer, as anyone whose browser asks for English would.
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Language").select_option("ja")
        page.get_by_role("button", name="Switch").click()
        log_in(page, live_server, staff.email)
        page.goto(f"{live_server.url}/filings/{filing.pk}/checklist/ORG/")
        item = page.locator("#item-ORG-2")
        item.get_by_label("状態").select_option("implemented")
        item.get_by_label("実施内容").fill("委託先の管理規程を定めた。")
        item.get_by_role("button", name="ORG-2 を保存").click()
        # Back at the item's save status, which says so: in view where the page opens.
        status = page.locator("#saved-ORG-2")
        expect(status).to_contain_text("ORG-2 を保存しました")
        assert page.url.endswith("/checklist/ORG/?saved=ORG-2#saved-ORG-2")
        box = status.bounding_box()
        assert box is not None and 0 <= box["y"] < 900
        expect(page.locator("#item-ORG-2").get_by_label("実施内容")).to_have_value(
            "委託先の管理規程を定めた。"
        )
    finally:
        context.close()
    assert filing.answers.get(item__code="ORG-2").status == "implemented"
