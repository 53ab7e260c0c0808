"""確認依頼 / 差戻し (issue 18): staff hand a draft to their officer, who sends it back with a
comment; each finds the draft, and the other's word, where they land."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.pages import NARROW, WIDE, log_in, log_out
from tests.factories import (
    AggregatorFactory,
    answer_all,
    load_catalogue,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366", "390"])
def test_staff_ask_the_officer_who_sends_the_draft_back_with_a_comment(
    page: Page, live_server, viewport, mailoutbox
):
    load_catalogue()
    company = AggregatorFactory.create()
    staff = user_with_role(Role.AGGREGATOR_STAFF, company)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    filing = answer_all(make_filing(staff))
    page.set_viewport_size(viewport)

    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/submit/")
    ask = page.get_by_role("form", name="事業者責任者に確認と提出を依頼する（確認依頼）")
    ask.get_by_label("コメント").fill("入力が終わりました。確認をお願いします。")
    ask.get_by_role("button", name="確認依頼を送る").click()
    expect(page.locator("[data-outcome=messages]")).to_contain_text("確認依頼を送りました")
    expect(page.locator("[data-handoff]")).to_contain_text("確認と提出を依頼しています")
    log_out(page)
    assert mailoutbox and mailoutbox[-1].to == [officer.email]

    log_in(page, live_server, officer.email)
    page.get_by_role("link", name=f"#{filing.pk}").click()  # from the home page's drafts
    expect(page.locator("[data-handoff]")).to_contain_text("入力が終わりました")
    back = page.get_by_role("form", name="コメントを付けて差し戻す（差戻し）")
    back.get_by_role("button", name="差し戻す").click()  # no comment: refused, in view
    expect(page.locator("#error-summary")).to_be_focused()
    back = page.get_by_role("form", name="コメントを付けて差し戻す（差戻し）")
    back.get_by_label("コメント").fill("SYS-1 の実施内容を具体的に書いてください。")
    back.get_by_role("button", name="差し戻す").click()
    expect(page.locator("[data-outcome=messages]")).to_contain_text("差し戻しました")
    page.screenshot(path=f"test-results/handoff-{viewport['width']}.png", full_page=True)
    log_out(page)
    assert mailoutbox[-1].to == [staff.email]

    log_in(page, live_server, staff.email)
    expect(page.get_by_text("差戻し", exact=True)).to_be_visible()  # on the home page's drafts
    page.get_by_role("link", name=f"#{filing.pk}").click()
    expect(page.locator("[data-handoff]")).to_contain_text("SYS-1 の実施内容を具体的に")
