"""A guideline revision from draft through public comment to publication, and a filer's draft
moved to it (issue 19), with real clicks."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from checklists.models import Catalogue
from tests.browser.pages import log_in, log_out
from tests.factories import (
    AggregatorFactory,
    add_pdf,
    answer_all,
    load_catalogue,
    make_filing,
    restructure_draft,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = [f"EXT-{n}" for n in (*range(1, 12), 13)]  # EXT-12 is removed in 2027.1


def admin_drafts_the_revision(page: Page, live_server, admin):
    """Copy 2026.1, name it 2027.1, reword SYS-3, remove EXT-12 (with its mapping row)."""
    log_in(page, live_server, admin.email)
    page.get_by_role("link", name="管理画面を開く").click()
    page.get_by_role("link", name="チェックリスト版").first.click()
    page.get_by_role("row", name=re.compile(r"2026\.1")).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="操作").select_option(
        label="選択した版を新しい下書きにコピーする"
    )
    page.get_by_role("button", name="実行").click()
    page.get_by_role("link", name=re.compile(r"2026\.1-draft")).click()
    page.locator("#id_version").fill("2027.1")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("link", name="2027.1", exact=True)).to_be_visible()

    page.get_by_role("link", name="項目", exact=True).first.click()
    page.get_by_role("link", name=re.compile(r"\(2027\.1\)")).first.click()
    page.get_by_role("link", name="SYS-3", exact=True).click()
    requirement = page.locator("#id_requirement_ja")
    requirement.fill(requirement.input_value() + "（TLS 1.2 以上に限る。）")
    page.locator("#relations_from_old-group select[name$='-relation']").first.select_option(
        "reworded"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("SYS-3")

    page.get_by_role("link", name="EXT-12", exact=True).click()
    page.get_by_role("button", name="削除", exact=True).click()
    page.get_by_role("button", name=re.compile("はい")).click()
    page.get_by_role("link", name="前版との対応").first.click()
    page.get_by_role("link", name=re.compile("項目の対応.*追加")).click()
    page.locator("#id_catalogue").select_option(label=_option(page, "#id_catalogue", "(2027.1)"))
    page.locator("#id_old_item").select_option(label=_option(page, "#id_old_item", "EXT-12 "))
    page.locator("#id_relation").select_option("removed")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("EXT-12")


def _option(page: Page, select: str, text: str) -> str:
    """The label of the option that contains ``text`` (as a person reads the list)."""
    expect(page.locator(select)).to_be_visible()  # the page has arrived
    labels = page.locator(f"{select} option").all_text_contents()
    return next(label for label in labels if text in label)


def admin_opens_comment(page: Page, today):
    page.get_by_role("link", name="ホーム").first.click()
    page.locator("#consultations-commentperiod").get_by_role("link", name="意見募集").click()
    page.get_by_role("link", name=re.compile("意見募集.*追加")).click()
    page.locator("#id_catalogue").select_option(label=_option(page, "#id_catalogue", "(2027.1)"))
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=29)).isoformat())
    page.locator("#id_note").fill("接続点と事故対応の項目を見直す案について、御意見を募集します。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("2027.1")


def aggregator_comments_on_two_items(page: Page, live_server, user):
    log_in(page, live_server, user.email)
    page.get_by_role("link", name="意見募集", exact=True).click()
    page.get_by_role("link", name=re.compile("2027.1")).click()
    diff = page.get_by_role("table", name="前版に対する項目ごとの変更")
    for code, change in (("SYS-3", "文言修正"), ("SYS-6", "分割"), ("INC-3", "統合")):
        expect(diff.locator(f"#diff-{code}")).to_contain_text(change)
    expect(diff.locator("#diff-SYS-7")).to_contain_text("新規")
    expect(diff.locator("#diff-EXT-12")).to_contain_text("削除")
    for code, text in (
        ("SYS-6", "接続点の防御について、具体例を示してほしい。"),
        ("INC-3", "統合後の訓練の頻度の目安を示してほしい。"),
    ):
        page.get_by_role("textbox", name=re.compile("^御意見")).fill(text)
        page.get_by_role("checkbox", name=re.compile(f"^{code} ")).check()
        page.get_by_role("button", name="御意見を提出する").click()
        expect(page.get_by_role("alert").first).to_contain_text("御意見を受け付けました")
    expect(page.get_by_text("接続点の防御について")).to_be_visible()
    log_out(page)


def regulator_records_paper_opinion_and_responds(page: Page, live_server, reviewer, today):
    log_in(page, live_server, reviewer.email)
    page.get_by_role("link", name="意見募集", exact=True).click()
    page.get_by_role("link", name=re.compile("2027.1")).click()
    page.get_by_role("link", name="他の経路による御意見を記録").click()
    page.get_by_role("combobox", name=re.compile("^受付経路")).select_option(label="書面")
    page.get_by_label(re.compile("受付日")).fill(today.isoformat())
    page.get_by_role("textbox", name=re.compile("^提出者")).fill("個人")
    page.get_by_role("textbox", name=re.compile("^御意見")).fill(
        "CISOの語句について、記述を行っておく方が良い。"
    )
    page.get_by_role("button", name="御意見を記録する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("御意見と考え方")
    responses: tuple[tuple[list[str], str, list[str]], ...] = (
        (["御意見 1"], "御指摘を踏まえ、SYS-6 に接続点の防御の例示を追記します。", ["SYS-6"]),
        (["御意見 2", "御意見 3"], "訓練の目安とCISOについて、補足の記載をします。", []),
    )
    for opinions, text, changed in responses:
        for opinion in opinions:
            page.get_by_role("checkbox", name=opinion, exact=True).check()
        page.get_by_role("textbox", name=re.compile("^考え方")).fill(text)
        if changed:
            page.get_by_label("案を修正した").check()
            for code in changed:
                page.get_by_role("checkbox", name=re.compile(f"^{code} ")).check()
        page.get_by_role("button", name="考え方を保存する").click()
        expect(page.get_by_text(text).first).to_be_visible()
    log_out(page)


def lead_approves_and_downloads_the_table(page: Page, live_server, lead, tmp_path):
    log_in(page, live_server, lead.email)
    page.get_by_role("link", name="意見募集", exact=True).click()
    page.get_by_role("link", name=re.compile("2027.1")).click()
    page.get_by_role("link", name="御意見と考え方", exact=True).click()
    page.get_by_role("button", name="一覧を承認し署名付きPDFで公表する").click()
    expect(page.get_by_role("alert").first).to_contain_text("承認し")
    with page.expect_download() as download:
        page.get_by_role("link", name="御意見と考え方の一覧（PDF）").first.click()
    path = tmp_path / "table.pdf"
    download.value.save_as(path)
    log_out(page)
    return path


def admin_publishes(page: Page, live_server, admin, today):
    log_in(page, live_server, admin.email)
    page.get_by_role("link", name="管理画面を開く").click()
    page.get_by_role("link", name="チェックリスト版").first.click()
    page.get_by_role("row", name=re.compile(r"2027\.1")).get_by_role("checkbox").check()
    action = page.get_by_role("combobox", name="操作")
    action.select_option(label="選択した下書き版を公開（先に差分を表示）")
    page.get_by_role("button", name="実行").click()
    expect(page.locator("#diff-SYS-6")).to_contain_text("分割")
    expect(page.locator("#diff-EXT-12")).to_contain_text("削除")
    page.get_by_label("施行日").fill(today.isoformat())
    page.get_by_role("button", name="この版を公開する").click()
    expect(page.locator(".messagelist")).to_contain_text("2027.1")
    page.get_by_role("button", name="ログアウト").click()


def filer_moves_confirms_and_submits(page: Page, live_server, officer, filing):
    log_in(page, live_server, officer.email)
    page.get_by_role("link", name="届出一覧").first.click()
    page.get_by_role("link", name=f"#{filing.pk}").click()
    page.get_by_role("link", name="移行のプレビュー").click()
    expect(page.get_by_role("table")).to_contain_text("回答が異なるため選択せず")  # INC-3
    page.get_by_role("button", name="下書きを 2027.1 へ移行する").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("前版からの引継ぎ回答")
    # INC-3 (merged, the two answers differ): choose in the checklist first.
    page.get_by_role("link", name="チェックリストで編集").nth(_row_of(page, "INC-3")).click()
    item = page.locator("#item-INC-3")
    item.get_by_label("状態").select_option("implemented")
    item.get_by_label("実施内容").fill("事故の報告・情報共有の手順を定め、年1回訓練している。")
    item.get_by_role("button", name="INC-3 を保存").click()
    expect(item.get_by_role("status")).to_contain_text("INC-3 を保存しました")
    page.get_by_role("link", name="概要").first.click()
    page.get_by_role("link", name="引継ぎ回答を確認する").click()
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="チェックした回答を確認済みにする").click()
    expect(page.get_by_role("status").first).to_contain_text("引継ぎ回答はすべて確認済みです")
    # The new item and the reference section (never answered) are filled in.
    page.get_by_role("link", name="概要").first.click()
    page.get_by_role("link", name="チェックリストに記入").click()
    fill_section(page, "システム", [("SYS-7", "not_implemented", "導入を計画中。")])
    fill_section(
        page, "基準外の参考項目", [(code, "implemented", "実施している。") for code in REFERENCE]
    )
    page.get_by_role("link", name="確認と提出").first.click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="届出を提出").click()
    expect(page.locator("#receipt-number")).not_to_be_empty()
    log_out(page)


def _row_of(page: Page, code: str) -> int:
    rows = page.get_by_role("row").all_text_contents()[1:]
    return next(n for n, text in enumerate(rows) if code in text)


def fill_section(page: Page, section: str, answers):
    page.get_by_role("navigation", name="チェックリストの区分").get_by_role(
        "link", name=re.compile(section)
    ).click()
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    for code, status, text in answers:
        item = page.locator(f"#item-{code}")
        item.get_by_label("状態").select_option(status)
        item.get_by_label("実施内容").fill(text)
        if status != "implemented":
            item.get_by_label("対応予定日").fill(later)
        item.get_by_role("button", name=f"{code} を保存").click()
        expect(item.get_by_role("status")).to_contain_text(f"{code} を保存しました")


def test_a_revision_runs_from_draft_through_comment_to_publication_and_a_filer_moves(
    page: Page, live_server, tmp_path
):
    load_catalogue()
    admin = user_with_role(Role.ADMIN)
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    # A draft on 2026.1, half filled: criterion items answered with evidence, reference open.
    filing = answer_all(make_filing(officer))
    add_pdf(filing, officer, "対策実施状況.pdf", filing.answers.filter(item__is_criterion=True))
    filing.answers.filter(item__is_criterion=False).update(status="", implementation="")

    # INC-4 differs from INC-3: the merged INC-3 is carried as 要確認 with nothing chosen.
    filing.answers.filter(item__code="INC-4").update(
        status="partial", target_date=timezone.localdate() + timedelta(days=30)
    )
    reviewer, lead = user_with_role(Role.REVIEWER), user_with_role(Role.REVIEW_LEAD)
    commenter = user_with_role(Role.AGGREGATOR_STAFF, AggregatorFactory.create())
    today = timezone.localdate()

    # 1. The admin drafts 2027.1 and opens comment.
    admin_drafts_the_revision(page, live_server, admin)
    restructure_draft(Catalogue.objects.get(version="2027.1"))  # split, merge, new: not clicked
    admin_opens_comment(page, today)
    page.get_by_role("button", name="ログアウト").click()
    # 2. An aggregator reads the diff and comments on two items.
    aggregator_comments_on_two_items(page, live_server, commenter)
    # 3. The regulator records a paper opinion and responds to all three.
    regulator_records_paper_opinion_and_responds(page, live_server, reviewer, today)
    # 4, 5. The lead approves; the table PDF is rendered.
    pdf = lead_approves_and_downloads_the_table(page, live_server, lead, tmp_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "寄せられた主な御意見" in text and "御意見に対する考え方（案）" in text
        assert "御指摘を踏まえ" in text and "CISOの語句" in text and "接続点の防御" in text
        assert commenter.organisation is not None
        assert commenter.organisation.name not in text  # no consent: withheld
    # 6. The version is published.
    admin_publishes(page, live_server, admin, today)
    # 7. The filer moves the half-filled draft, confirms the carried answers and submits.
    filer_moves_confirms_and_submits(page, live_server, officer, filing)
    # 8. The review flags only what the new version makes unmet.
    filing.refresh_from_db()
    assert filing.catalogue.version == "2027.1"
    flags = {(flag.rule, flag.item_code) for flag in filing.review.flags.all()}
    assert flags == {("criterion_item_unmet", "SYS-7")}
    log_in(page, live_server, reviewer.email)
    page.get_by_role("link", name="審査キュー").first.click()
    page.get_by_role("link", name=filing.receipt_number).click()
    expect(page.get_by_text("SYS-7").first).to_be_visible()
    expect(page.get_by_text("EXT-12")).to_have_count(0)
