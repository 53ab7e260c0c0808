"""Every item of a filing on one page (issue 20): the officer reads the draft through before
submitting, the reviewer reads it as filed; printed without the portal's navigation. And an
in-place save that changes no count: the card comes back alone, the progress stays."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.services import submit_filing
from tests.browser.pages import NARROW, WIDE, log_in, log_out
from tests.factories import (
    AggregatorFactory,
    add_pdf,
    answer_all,
    large_catalogue,
    load_catalogue,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "test-results"  # looked at by hand, never committed


def shoot(page: Page, name: str) -> None:
    for label, size in (("1366", WIDE), ("390", NARROW)):
        page.set_viewport_size(size)
        page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=False)
    page.set_viewport_size(WIDE)


def test_officer_and_reviewer_read_every_item_on_one_page(page: Page, live_server):
    catalogue = load_catalogue()
    large_catalogue(catalogue, user_with_role(Role.ADMIN), 120)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = answer_all(make_filing(officer), **{"SYS-1": "not_implemented"})
    filing.answers.filter(item__code="ORG-1").update(implementation="委員会を設置し年次で見直す")
    add_pdf(filing, officer, "体制図.pdf", filing.answers.filter(item__code="ORG-1"))

    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="全項目を1ページで開く").click()
    expect(page.get_by_role("heading", name="届出の全項目")).to_be_visible()
    expect(page.locator("article.whole-item")).to_have_count(120)
    expect(page.locator("#item-ORG-1")).to_contain_text("委員会を設置し年次で見直す")
    expect(page.locator("#item-ORG-1").get_by_role("link", name="体制図.pdf")).to_be_visible()
    expect(page.locator("#item-SYS-1")).to_contain_text("未実施")
    shoot(page, "whole-draft")
    sections = page.get_by_role("navigation", name="チェックリストの区分")
    last = sections.get_by_role("link").last
    target = last.get_attribute("href")
    last.click()
    expect(page).to_have_url(f"{live_server.url}{filing.get_absolute_url()}whole/{target}")
    page.emulate_media(media="print")
    expect(page.locator(".navbar-portal")).to_be_hidden()
    expect(page.get_by_role("button", name="このページを印刷")).to_be_hidden()
    expect(page.locator("#item-ORG-1")).to_be_visible()
    page.emulate_media(media="screen")

    # An in-place save that changes no count: the card is replaced, the progress stays.
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="チェックリスト", exact=True).last.click()
    progress = page.locator("#checklist-sections")
    before = progress.inner_text()
    card = page.locator("#item-ORG-1")
    card.get_by_label("実施内容").fill("委員会を設置し半期で見直す")
    card.get_by_role("button", name="ORG-1 を保存").click()
    expect(card.get_by_role("status")).to_contain_text("ORG-1 を保存しました")
    expect(progress).to_have_text(before)
    # The officer checks, then submits.
    page.get_by_role("link", name="確認と提出").first.click()
    page.get_by_role("link", name="提出する前に全項目を1ページで確認する").click()
    expect(page.locator("#item-ORG-1")).to_contain_text("委員会を設置し半期で見直す")
    filing.refresh_from_db()
    submit_filing(filing=filing, actor=officer)
    log_out(page)

    reviewer = user_with_role(Role.REVIEWER)
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}/reviews/{filing.review.pk}/")
    page.get_by_role("link", name="全項目を1ページで開く").click()
    expect(page.get_by_text("その後の変更は表示しません")).to_be_visible()
    expect(page.locator("article.whole-item")).to_have_count(120)
    expect(page.locator("#item-ORG-1")).to_contain_text("委員会を設置し半期で見直す")
    shoot(page, "whole-as-filed")
