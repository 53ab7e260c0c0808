from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.models import Filing
from filings.services import submit_filing
from tests.browser.pages import log_in, log_out
from tests.factories import (
    AggregatorFactory,
    add_pdf,
    answer_all,
    load_catalogue,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_flag(page: Page, flag):
    """A flag is a compact row on the review page: open it (unless it is open already)."""
    card = page.locator(f"#flag-{flag.pk}")
    if card.locator("details").get_attribute("open") is None:
        card.locator("summary").click()
    return card


def decide(page: Page, flag, decision: str, reason: str = ""):
    card = open_flag(page, flag)
    card.get_by_label(decision, exact=True).check()
    if reason:
        card.get_by_label("理由").fill(reason)
    return card


def test_reviewer_triages_inquires_filer_answers_lead_determines_filer_sees_it(
    page: Page, live_server
):
    load_catalogue()
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    reviewer = user_with_role(Role.REVIEWER)
    lead = user_with_role(Role.REVIEW_LEAD, reviewer.organisation)
    filing = answer_all(make_filing(officer), **{"SYS-1": "partial", "OPS-1": "not_implemented"})
    add_pdf(filing, officer, answers=filing.answers.filter(item__is_criterion=True))
    submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    review = filing.review
    sys1 = review.flags.get(item_code="SYS-1")
    ops1 = review.flags.get(item_code="OPS-1")

    # The reviewer triages from the queue.
    log_in(page, live_server, reviewer.email)
    page.get_by_role("link", name="審査キュー").first.click()
    page.get_by_label("未処理の候補あり").check()
    page.get_by_role("button", name="適用").click()
    page.get_by_role("link", name=filing.receipt_number).click()
    page.get_by_label("担当者").select_option(label=str(reviewer))
    page.get_by_role("button", name="割り当て").click()
    decide(page, ops1, "指摘維持").get_by_role("button", name="判断を記録").click()
    expect(page.get_by_role("alert").first).to_contain_text("判断を記録しました")
    expect(page.locator(f"#flag-{sys1.pk}").get_by_label("届出者への質問")).to_be_hidden()
    card = decide(page, sys1, "照会")  # choosing 照会 shows its question and due date
    card.get_by_label("届出者への質問").fill("分離の完了予定と暫定措置を説明してください。")
    card.get_by_label("回答期限").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    card.get_by_role("button", name="判断を記録").click()
    expect(page.locator(f"#flag-{sys1.pk}")).to_contain_text("届出者の回答を待っています")
    page.screenshot(path="test-results/review.png", full_page=True)
    log_out(page)

    # The filer answers the inquiry.
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="分離の完了予定").click()
    page.get_by_label("回答").fill("来月末に完了します。暫定的にFWで遮断しています。")
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_text("来月末に完了します")).to_be_visible()
    log_out(page)

    # The reviewer sees the answer beside the flag and decides it.
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    expect(page.locator(f"#flag-{sys1.pk}")).to_contain_text("来月末に完了します")
    decide(page, sys1, "指摘取下げ", "暫定措置で支障のおそれは低い。").get_by_role(
        "button", name="判断を記録"
    ).click()
    expect(page.get_by_role("alert").first).to_contain_text("判断を記録しました")
    log_out(page)

    # The lead records the determination.
    log_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    # "No order" while OPS-1 is upheld: warned first, and refused without a reason against it.
    expect(page.get_by_role("alert").first).to_contain_text("指摘維持の命令候補が 1 件あります")
    page.get_by_label("変更命令等を要しない（審査完了）").check()
    page.locator("#id_reason").fill("是正計画を確認したため変更命令等を要しない。")
    page.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_text("それぞれの候補について理由を記入してください").first).to_be_visible()
    expect(page.locator("#id_reason")).to_have_value("是正計画を確認したため変更命令等を要しない。")
    reason = page.get_by_label("OPS-1 の変更命令等候補について変更命令等を要しないとする理由")
    reason.fill("事業開始前に実施済と確認。")
    page.get_by_role("button", name="判定を記録").click()
    # Nothing is recorded before the lead confirms what the page shows.
    expect(page.get_by_role("heading", name="判定の確認")).to_be_visible()
    expect(page.get_by_text("事業開始前に実施済と確認。")).to_be_visible()
    page.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_role("status").first).to_contain_text("是正計画を確認したため")
    log_out(page)

    # The filer sees the determination.
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    expect(page.get_by_text("是正計画を確認したため変更命令等を要しない。")).to_be_visible()
    page.screenshot(path="test-results/determination.png", full_page=True)


def test_reviewer_upholds_two_flags_at_once(page: Page, live_server):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    reviewer = user_with_role(Role.REVIEWER)
    unmet = {code: "not_implemented" for code in ["ORG-1", "ORG-2", "SYS-1"]}
    filing = answer_all(make_filing(officer), **unmet)
    submit_filing(filing=filing, actor=officer)
    review = Filing.objects.get(pk=filing.pk).review
    org1, org2 = (
        review.flags.get(item_code=code, kind="change_order") for code in ("ORG-1", "ORG-2")
    )

    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    page.get_by_label("ORG-1 を一括判断に含める").check()
    page.get_by_label("ORG-2 を一括判断に含める").check()
    bulk = page.get_by_role("form", name="複数の指摘をまとめて判断")
    bulk.get_by_label("指摘維持").check()
    bulk.get_by_label("理由（チェックしたすべての指摘に記録）").fill("未実施を確認した。")
    bulk.get_by_role("button", name="チェックした指摘に判断を記録").click()
    expect(page.get_by_role("alert").first).to_contain_text("2 件の指摘に判断を記録しました")
    expect(page.locator(f"#flag-{org1.pk}")).to_contain_text("指摘維持")
    expect(page.locator(f"#flag-{org2.pk}")).to_contain_text("未実施を確認した。")
    page.screenshot(path="test-results/review-bulk.png", full_page=False)
