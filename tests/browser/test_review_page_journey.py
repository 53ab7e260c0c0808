"""The review page that fits the work (issue 18): compact rows that open, a bulk bar with a
select-all per group (reference findings included), and the demo's largest review within three
windows at 1366 px as it opens."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import Page, expect

from accounts.models import Role
from reviews.models import Review
from tests.browser.pages import NARROW, WIDE, log_in
from tests.factories import AggregatorFactory, load_catalogue, make_review, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1366", "390"])
def test_a_reviewer_ticks_a_whole_group_and_records_one_decision_for_it(
    page: Page, live_server, viewport
):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    review = make_review(
        officer, **{"ORG-1": "not_implemented", "EXT-1": "not_implemented", "EXT-2": "partial"}
    )
    reference = list(review.flags.filter(kind="reference"))
    assert len(reference) == 2
    reviewer = user_with_role(Role.REVIEWER)
    page.set_viewport_size(viewport)
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_label("このページの参考指摘をすべて選択").check()
    bulk = page.get_by_role("form", name="複数の指摘をまとめて判断")
    expect(bulk).to_contain_text("選択中: 2 件")
    bulk.get_by_label("指摘維持").check()
    bulk.get_by_label("理由（チェックしたすべての指摘に記録）").fill("参考として記録した。")
    bulk.get_by_role("button", name="チェックした指摘に判断を記録").click()
    expect(page.locator("[data-outcome=messages]")).to_contain_text(
        "2 件の指摘に判断を記録しました"
    )
    for flag in reference:
        flag.refresh_from_db()
        assert (flag.decision, flag.decision_reason) == ("uphold", "参考として記録した。")
    labels = page.locator("input[name=flags]").evaluate_all(
        "boxes => boxes.map((box) => box.labels[0].textContent)"
    )
    assert len(labels) == len(set(labels))  # every tick box has a name of its own


def test_the_demos_largest_review_fits_in_three_windows_as_it_opens(
    page: Page, live_server, settings
):
    load_catalogue()
    settings.DEBUG = True  # seed_demo runs only in development
    call_command("seed_demo", password="demo-password-2026", stdout=StringIO())
    settings.DEBUG = False
    review = Review.objects.annotate(n=Count("flags")).order_by("-n").first()
    assert review is not None and review.n >= 10
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill("reviewer@regulator.example")
    page.get_by_label("パスワード").fill("demo-password-2026")
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"review #{review.pk} with {review.n} flags: {height} px at 1366 px")
    assert height <= 3 * WIDE["height"], height
    page.screenshot(path="test-results/review-largest.png", full_page=True)
