"""The statute's clock, clicked through: the lead sorts the queue by days left in the order
window, opens a review and extends the period with a reason; the filer sees the notice and the new
dates on the filing page and its signed PDF among the reports."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from reviews.models import Review
from tests.browser.pages import NARROW, WIDE, log_in, log_out, open_menu
from tests.factories import AggregatorFactory, load_catalogue, make_submitted, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOTS", "test-results"))


def shoot(page: Page, name: str) -> None:
    """The page at 1366 px and at 390 px, for looking at; back to the wide viewport after."""
    for label, size in (("1366", WIDE), ("390", NARROW)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(WIDE)


def with_window(review: Review, days_left: int) -> Review:
    """Accepted so that its order window ends ``days_left`` days from today."""
    deadline = timezone.localdate() + timedelta(days=days_left)
    Review.objects.filter(pk=review.pk).update(
        accepted_on=deadline - timedelta(days=30), deadline=deadline
    )
    return Review.objects.get(pk=review.pk)


def test_lead_extends_the_period_and_the_filer_sees_the_notice_and_new_dates(
    page: Page, live_server
):
    load_catalogue()
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    staff = user_with_role(Role.AGGREGATOR_STAFF, company)
    lead = user_with_role(Role.REVIEW_LEAD)
    late = with_window(make_submitted(officer, **{"SYS-1": "partial"}).review, 25)
    soon = with_window(make_submitted(user_with_role(Role.AGGREGATOR_OFFICER)).review, 3)
    middle = with_window(make_submitted(user_with_role(Role.AGGREGATOR_OFFICER)).review, 12)

    # The lead sorts the queue by days left in the order window.
    log_in(page, live_server, lead.email)
    open_menu(page)
    page.get_by_role("link", name="審査キュー").first.click()
    page.get_by_role("link", name="命令期限までの日数").click()
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text(soon.filing.receipt_number)
    receipts = [row.locator("td").first.inner_text() for row in rows.all()]
    expected = [r.filing.receipt_number for r in (soon, middle, late)]
    assert [number for number in receipts if number in expected] == expected
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("命令期限までの日数")
    shoot(page, "queue-by-window")

    # It opens the review whose window is longest and extends the period by ten days.
    page.get_by_role("link", name=late.filing.receipt_number).click()
    new_end = late.deadline + timedelta(days=10)
    form = page.get_by_role("form", name="期間の延長（第27条の30第6項）")
    form.get_by_label("変更後の期間の末日").fill(new_end.isoformat())
    form.get_by_role("button", name="延長して届出者に通知").click()
    form = page.get_by_role("form", name="期間の延長（第27条の30第6項）")
    reason = form.get_by_label("理由（届出者への通知に記載）")
    expect(reason).to_have_attribute("aria-invalid", "true")  # the reason is required
    form.get_by_label("変更後の期間の末日").fill(new_end.isoformat())
    reason.fill("制御方式の確認に相当の期間を要するため")
    form.get_by_role("button", name="延長して届出者に通知").click()
    expect(page.get_by_role("alert").first).to_contain_text("届出者に通知しました")
    day = f"{new_end.year}年{new_end.month}月{new_end.day}日"
    clock = page.get_by_role("region", name="電気事業法第27条の30による期日")
    expect(clock).to_contain_text(day)
    expect(clock).to_contain_text("期間延長通知書")
    expect(clock).to_contain_text("法令本文で確認（電気事業法 2025年6月6日施行時点）")
    shoot(page, "review-extended")
    log_out(page)

    # The filer sees the notice, the reason and the new dates, and the signed PDF.
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}{late.filing.get_absolute_url()}")
    summary = page.get_by_role("region", name="審査")
    expect(summary).to_contain_text("期間延長通知書")
    expect(summary).to_contain_text("制御方式の確認に相当の期間を要するため")
    expect(summary).to_contain_text(day)
    start = new_end + timedelta(days=1)
    expect(summary).to_contain_text(f"{start.year}年{start.month}月{start.day}日")
    shoot(page, "filing-notice")
    summary.get_by_role("link", name="電子署名付きの通知（PDF）").click()
    expect(page.get_by_text("期間延長通知書").first).to_be_visible()
    shoot(page, "reports-notice")
