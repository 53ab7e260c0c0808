"""The lower-level aggregator rule through the UI: the filer declares, attaches, covers and
submits by clicks; the reviewer reads the flags the rule raised against the top-level aggregator.

Each situation is its own test (named by the situation), run on PostgreSQL in CI."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.models import Filing
from tests.browser.pages import log_in, log_out
from tests.factories import (
    AggregatorFactory,
    add_pdf,
    answer_all,
    load_catalogue,
    make_corporate_number,
    make_filing,
    plain_pdf,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COVERED = "同等の要求事項を課している"
CLAUSE = "該当条項"


def prepare(sup1: str = "implemented"):
    """A complete draft by factories; what the rule reads is then entered in the browser."""
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = answer_all(make_filing(officer), **{"SUP-1": sup1})
    add_pdf(filing, officer, answers=filing.answers.filter(item__is_criterion=True))
    return officer, filing


def declare_lower(page: Page, live_server, filing, *, skip: str = "") -> None:
    page.goto(f"{live_server.url}/filings/{filing.pk}/lower-aggregators/")
    page.get_by_label("下位アグリゲーターを利用していますか？").select_option(label="はい")
    page.get_by_label("名称").fill("下位エナジー株式会社")
    page.get_by_label("法人番号").fill(make_corporate_number())
    page.get_by_label("契約日").fill("2026-04-01")
    rows = page.locator("tr").filter(has=page.get_by_label(CLAUSE))
    for index in range(rows.count()):
        row = rows.nth(index)
        if skip and skip in row.locator(".font-monospace").inner_text():
            continue
        row.get_by_label(COVERED).check()
        row.get_by_label(CLAUSE).fill(f"要求仕様書 第{index + 1}条")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("保存しました")


def declare_no_lower(page: Page, live_server, filing) -> None:
    page.goto(f"{live_server.url}/filings/{filing.pk}/lower-aggregators/")
    page.get_by_label("下位アグリゲーターを利用していますか？").select_option(label="いいえ")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("保存しました")


def attach(page: Page, live_server, filing, kind: str, name: str, tmp_path) -> None:
    path = tmp_path / name
    path.write_bytes(plain_pdf("lower-level requirements"))
    page.goto(f"{live_server.url}/filings/{filing.pk}/evidence/")
    page.get_by_label("ファイルの種類").select_option(label=kind)
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="アップロード").click()
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def submit(page: Page, live_server, filing) -> None:
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="確認と提出").first.click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="届出を提出").click()
    expect(page.locator("#receipt-number")).to_be_visible()


def lower_flags(page: Page, live_server, filing) -> list[str]:
    """The findings of the lower-level flags on the review page, as the reviewer reads them."""
    reviewer = user_with_role(Role.REVIEWER)
    log_out(page)
    log_in(page, live_server, reviewer.email)
    review = Filing.objects.get(pk=filing.pk).review
    page.goto(f"{live_server.url}{review.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(filing.receipt_number)
    ids = review.flags.filter(rule="lower_requirements_insufficient").values_list("pk", flat=True)
    cards = [page.locator(f"#flag-{pk}") for pk in ids]
    for card in cards:
        expect(card).to_contain_text("変更命令等候補")
        expect(card).to_contain_text("SUP-1")
    return [card.inner_text() for card in cards]


def complete_lower_filing(
    page, live_server, tmp_path, *, contract=True, skip="", sup1="implemented"
):
    officer, filing = prepare(sup1)
    log_in(page, live_server, officer.email)
    declare_lower(page, live_server, filing, skip=skip)
    attach(page, live_server, filing, "下位アグリゲーター向けの要件書", "要件書.pdf", tmp_path)
    if contract:
        attach(page, live_server, filing, "下位アグリゲーターとの契約条項", "契約.pdf", tmp_path)
    submit(page, live_server, filing)
    filing.refresh_from_db()
    return filing


def test_lower_tiers_with_document_contract_and_full_coverage_raise_no_flag(
    page: Page, live_server, tmp_path
):
    filing = complete_lower_filing(page, live_server, tmp_path)
    assert lower_flags(page, live_server, filing) == []


def test_lower_tiers_without_contract_clause_are_a_candidate_against_the_top_level(
    page: Page, live_server, tmp_path
):
    filing = complete_lower_filing(page, live_server, tmp_path, contract=False)
    (finding,) = lower_flags(page, live_server, filing)
    assert "契約" in finding


def test_lower_tiers_with_one_item_uncovered_are_a_candidate_naming_that_item(
    page: Page, live_server, tmp_path
):
    filing = complete_lower_filing(page, live_server, tmp_path, skip="INC-3")
    (finding,) = lower_flags(page, live_server, filing)
    assert "INC-3" in finding and "SYS-3" not in finding


def test_lower_tiers_used_with_requirement_item_not_applicable_are_a_candidate(
    page: Page, live_server, tmp_path
):
    filing = complete_lower_filing(page, live_server, tmp_path, sup1="not_applicable")
    (finding,) = lower_flags(page, live_server, filing)
    assert "該当なし" in finding


def test_no_lower_tiers_and_requirement_item_not_applicable_raise_no_flag(page: Page, live_server):
    officer, filing = prepare("not_applicable")
    log_in(page, live_server, officer.email)
    declare_no_lower(page, live_server, filing)
    submit(page, live_server, filing)
    filing.refresh_from_db()
    assert lower_flags(page, live_server, filing) == []
    assert not filing.review.flags.filter(item_code="SUP-1").exists()
