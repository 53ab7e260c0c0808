from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.models import Filing
from tests.browser.pages import log_in, log_out
from tests.factories import (
    AggregatorFactory,
    add_pdf,
    answer_all,
    load_catalogue,
    make_filing,
    plain_pdf,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_section(page: Page, name: str):
    page.get_by_role("navigation", name="チェックリストの区分").get_by_role(
        "link", name=name
    ).click()
    expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()


def fill_item(page: Page, code: str, status: str, text: str, target_date: str | None = None):
    """Fill one item's form and save it; it is saved in place, the card says so."""
    item = page.locator(f"#item-{code}")
    item.get_by_label("状態").select_option(status)
    item.get_by_label("実施内容").fill(text)
    if target_date is not None:
        item.get_by_label("対応予定日").fill(target_date)
    item.get_by_role("button", name=f"{code} を保存").click()
    expect(item.get_by_role("status")).to_contain_text(f"{code} を保存しました")
    expect(item.get_by_role("status")).to_be_focused()


def test_staff_fills_in_officer_submits_then_amends_and_sees_the_diff(
    page: Page, live_server, tmp_path
):
    load_catalogue()
    company = AggregatorFactory.create()
    staff = user_with_role(Role.AGGREGATOR_STAFF, company)
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    filing = answer_all(make_filing(staff))
    filing.answers.filter(item__code__in=["ORG-1", "SYS-1"]).update(status="", implementation="")
    later = (timezone.localdate() + timedelta(days=200)).isoformat()

    # Staff fills in the two open items and attaches evidence.
    log_in(page, live_server, staff.email)
    page.get_by_role("link", name="届出一覧").first.click()
    page.get_by_role("link", name=f"#{filing.pk}").click()
    page.get_by_role("link", name="チェックリスト", exact=True).last.click()
    fill_item(page, "ORG-1", "implemented", "取締役会でセキュリティ基本方針を承認した。")
    expect(page.get_by_role("navigation", name="チェックリストの区分")).to_contain_text(
        "3/3 記入済"
    )
    open_section(page, "設備・システムのセキュリティ")
    fill_item(page, "SYS-1", "partial", "制御系の分離を進めている。", later)
    open_section(page, "組織")
    page.locator("#item-ORG-1").get_by_role("link", name="この項目の証跡をアップロード").click()
    pdf = tmp_path / "セキュリティ基本方針.pdf"
    pdf.write_bytes(plain_pdf("browser test"))
    page.locator("input[type=file]").set_input_files(pdf)
    page.get_by_role("button", name="アップロード").click()
    expect(page.get_by_role("link", name="セキュリティ基本方針.pdf", exact=True)).to_be_visible()
    page.screenshot(path="test-results/evidence.png", full_page=True)
    log_out(page)

    # The officer checks, sees the unmet item, and submits.
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/submit/")
    expect(page.locator("section:has(#expected-outcome)")).to_contain_text("SYS-1")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="届出を提出").click()
    receipt = Filing.objects.get(pk=filing.pk).receipt_number
    expect(page.locator("#receipt-number")).to_have_text(receipt)
    page.screenshot(path="test-results/receipt.png", full_page=True)

    # A change notification: mark SYS-1 implemented, submit, read the diff.
    page.get_by_role("link", name="変更届出を開始").click()
    expect(page.get_by_role("heading", name="変更届出を開始しますか？")).to_be_visible()
    page.get_by_role("button", name="変更届出を開始する").click()
    open_section(page, "設備・システムのセキュリティ")
    fill_item(page, "SYS-1", "implemented", "制御系の分離を完了した。", "")
    page.get_by_role("link", name="確認と提出").first.click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="届出を提出").click()
    page.get_by_role("link", name="変更内容").click()
    changes = page.get_by_role("table")
    expect(changes).to_contain_text("SYS-1")
    expect(changes).to_contain_text("一部実施")
    expect(changes).not_to_contain_text("ORG-1")
    page.screenshot(path="test-results/changes.png", full_page=True)


def test_staff_removes_a_file_after_confirming(page: Page, live_server, tmp_path):
    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    add_pdf(filing, staff, name="古い手順書.pdf")
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/evidence/")
    page.get_by_role("link", name="削除 古い手順書.pdf").click()
    expect(page.get_by_role("heading")).to_contain_text(
        ["「古い手順書.pdf」をこの下書きから削除しますか？"]
    )
    page.get_by_role("link", name="キャンセル").click()  # changed their mind: nothing removed
    expect(page.get_by_role("link", name="古い手順書.pdf", exact=True)).to_be_visible()
    page.get_by_role("link", name="削除 古い手順書.pdf").click()
    page.get_by_role("button", name="ファイルを削除する").click()
    expect(page.get_by_role("alert").first).to_contain_text("削除しました")
    expect(page.get_by_role("link", name="古い手順書.pdf", exact=True)).to_have_count(0)


def test_staff_fills_in_the_checklist_in_excel_and_a_bad_row_is_reported(
    page: Page, live_server, tmp_path
):
    from openpyxl import load_workbook

    load_catalogue()
    staff = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    filing = make_filing(staff)
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/checklist/")
    page.get_by_role("link", name="Excel で記入").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="ワークブックをダウンロード（.xlsx）").click()
    path = tmp_path / "checklist.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    rows = {row[1].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet.cell(rows["ORG-1"], 5, "実施済")
    sheet.cell(rows["ORG-1"], 6, "取締役会で承認した。")
    sheet.cell(rows["ORG-2"], 5, "検討中")  # not a status
    book.save(path)
    page.get_by_label("記入したワークブック（.xlsx）").set_input_files(path)
    page.get_by_role("button", name="アップロードして保存").click()
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("保存していません")
    expect(errors.get_by_role("row").filter(has_text="状態")).to_contain_text(str(rows["ORG-2"]))
    sheet.cell(rows["ORG-2"], 5, "実施済")
    sheet.cell(rows["ORG-2"], 6, "委託先を管理している。")
    book.save(path)
    page.get_by_label("記入したワークブック（.xlsx）").set_input_files(path)
    page.get_by_role("button", name="アップロードして保存").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "2 件の項目をワークブックから保存しました"
    )
    expect(page.locator("#item-ORG-1").get_by_label("実施内容")).to_have_value(
        "取締役会で承認した。"
    )
