"""Outcomes where the user lands (issue 18): a refused post opens on an error summary at the top
of the viewport, focused, whose links lead to the fields; a success message is in view, focused.
(The layout watch checks the same after every post of every browser test; these say it outright.)"""

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import Role
from tests.browser.pages import NARROW, WIDE, log_in
from tests.factories import (
    AggregatorFactory,
    answer_all,
    load_catalogue,
    make_filing,
    make_review,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366", "390"])


def assert_in_view_and_focused(page: Page, outcome: Locator) -> None:
    expect(outcome).to_be_focused()
    box = outcome.bounding_box()
    assert box is not None
    viewport = page.viewport_size
    assert viewport is not None
    assert box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"], box


@WIDTHS
def test_a_refused_determination_opens_on_its_error_summary_in_view_and_focused(
    page: Page, live_server, viewport
):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    review = make_review(officer, **{"SYS-1": "partial"})
    review.flags.update(decision="uphold")
    lead = user_with_role(Role.REVIEW_LEAD)
    page.set_viewport_size(viewport)
    log_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_label("変更命令等を要しない（審査完了）").check()
    page.get_by_role("button", name="判定を記録").click()  # no reason against the upheld SYS-1

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("記録されていません")
    assert_in_view_and_focused(page, summary)
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(str(target))).to_be_focused()
    page.screenshot(path=f"test-results/refused-determination-{viewport['width']}.png")


@WIDTHS
def test_a_flag_decision_lands_on_its_message_in_view_and_focused(
    page: Page, live_server, viewport
):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    review = make_review(officer, **{"SYS-1": "partial", "OPS-1": "not_implemented"})
    reviewer = user_with_role(Role.REVIEWER)
    flag = review.flags.get(item_code="OPS-1", kind="change_order")
    page.set_viewport_size(viewport)
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}#flag-{flag.pk}")
    card = page.locator(f"#flag-{flag.pk}")
    card.locator("summary").click()  # a compact row: open it
    card.get_by_label("指摘維持", exact=True).check()
    card.get_by_role("button", name="判断を記録").click()
    message = page.locator("[data-outcome=messages]")
    expect(message).to_contain_text("判断を記録しました")
    assert_in_view_and_focused(page, message)


@WIDTHS
def test_submitting_without_the_attestation_is_refused_with_the_summary_in_view(
    page: Page, live_server, viewport
):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = answer_all(make_filing(officer))
    page.set_viewport_size(viewport)
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/submit/")
    expect(page.get_by_role("heading", name="このまま提出しても")).to_be_visible()
    page.get_by_role("button", name="届出を提出").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("確認欄にチェック")
    assert_in_view_and_focused(page, summary)
    filing.refresh_from_db()
    assert filing.is_draft
