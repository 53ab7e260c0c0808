import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.models import LowerAggregator
from tests.browser.pages import NARROW, WIDE, assert_controls_usable, log_in, open_menu
from tests.factories import (
    AggregatorFactory,
    load_catalogue,
    make_corporate_number,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366px", "390px"])
def test_staff_adds_a_lower_aggregator_and_a_bad_corporate_number_is_refused_visibly(
    page: Page, live_server, viewport
):
    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    corporate_number = make_corporate_number()
    bad_number = f"{(int(corporate_number[0]) + 1) % 10}{corporate_number[1:]}"  # check digit off
    shots = f"test-results/lower-{viewport['width']}"
    page.set_viewport_size(viewport)

    # Staff opens the draft's lower-level aggregator page from the menu.
    log_in(page, live_server, staff.email)
    open_menu(page)
    page.get_by_role("link", name="届出一覧").first.click()
    page.get_by_role("link", name=f"#{filing.pk}").click()
    page.get_by_role("link", name="下位アグリゲーター", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{filing.pk}")

    # Yes, lower-level aggregators are used: one is added, two 勧告 items are marked covered.
    page.get_by_label("下位アグリゲーターを利用していますか？").select_option(label="はい")
    page.get_by_label("名称").fill("下位エネルギー株式会社")
    page.get_by_label("法人番号").fill(corporate_number)
    page.get_by_label("契約日").fill("2026-04-01")
    rows = page.locator("tr").filter(has=page.get_by_label("該当条項"))
    expect(rows.first).to_be_visible()
    codes = [rows.nth(index).locator(".font-monospace").inner_text() for index in (0, 1)]
    for index, clause in enumerate(["要求仕様書 第5条", "業務委託契約 第12条第2項"]):
        rows.nth(index).get_by_label("同等の要求事項を課している").check()
        rows.nth(index).get_by_label("該当条項").fill(clause)
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "下位アグリゲーターの情報を保存しました"
    )
    expect(page.locator("[name=lower-0-name]")).to_have_value("下位エネルギー株式会社")
    expect(page.locator("[name=lower-0-corporate_number]")).to_have_value(corporate_number)
    expect(page.locator("[name=lower-0-contract_date]")).to_have_value("2026-04-01")
    expect(rows.nth(0).get_by_label("同等の要求事項を課している")).to_be_checked()
    expect(rows.nth(1).get_by_label("該当条項")).to_have_value("業務委託契約 第12条第2項")
    page.screenshot(path=f"{shots}-saved.png", full_page=True)
    filing.refresh_from_db()
    assert filing.uses_lower_aggregators is True
    saved = LowerAggregator.objects.get(filing=filing)
    assert (saved.name, saved.corporate_number) == ("下位エネルギー株式会社", corporate_number)
    covered = filing.coverage.filter(covered=True).values_list("item__code", flat=True)
    assert sorted(covered) == sorted(codes)

    # A second one with a wrong check digit: refused, the error shown beside the field.
    page.locator("[name=lower-1-name]").fill("誤番号サービス合同会社")
    page.locator("[name=lower-1-corporate_number]").fill(bad_number)
    page.get_by_role("button", name="保存").click()

    # A summary at the top says nothing was saved and links to the field; the error is beside it.
    message = "この法人番号は無効です（チェックデジットが一致しません）。"
    summary_link = page.get_by_role("alert").get_by_role("link", name=re.compile(message))
    expect(summary_link).to_be_in_viewport()
    summary_link.click()
    bad_field = page.locator("[name=lower-1-corporate_number]")
    error = page.locator(".invalid-feedback").filter(has_text=message)
    expect(error).to_be_in_viewport()
    expect(bad_field).to_have_value(bad_number)  # the input is kept for correction
    expect(bad_field).to_have_attribute("aria-invalid", "true")
    expect(bad_field).to_have_accessible_description(message)
    below, indent = bad_field.evaluate(
        """(field) => {
          const box = field.getBoundingClientRect();
          const error = document.getElementById(field.getAttribute("aria-describedby"));
          const errorBox = error.getBoundingClientRect();
          return [errorBox.top - box.bottom, errorBox.left - box.left];
        }"""
    )  # one reading: the page may still be scrolling smoothly to the field
    assert 0 <= below < 40 and abs(indent) < 2, "the error is not right under the field"
    page.screenshot(path=f"{shots}-invalid.png", full_page=True)
    assert LowerAggregator.objects.filter(filing=filing).count() == 1  # what was saved is kept

    # Reloading shows what is saved: the first aggregator and the coverage, not the refused one.
    assert_controls_usable(page)
    page.get_by_role("link", name="下位アグリゲーター", exact=True).click()
    expect(page.locator("[name=lower-0-corporate_number]")).to_have_value(corporate_number)
    expect(page.locator("[name=lower-1-name]")).to_have_value("")
    expect(rows.nth(0).get_by_label("該当条項")).to_have_value("要求仕様書 第5条")
