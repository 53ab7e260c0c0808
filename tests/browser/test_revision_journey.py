"""A guideline revision from draft through public comment to publication, and a filer's draft
moved to it (issue 19), with real clicks."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from checklists.models import Catalogue
from tests.browser.pages import log_in
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

REFERENCE = [f"EXT-{n}" for n in range(1, 12)]  # EXT-12 is removed in 2027.1


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
    labels = page.locator(f"{select} option").all_text_contents()
    return next(label for label in labels if text in label)


def test_a_revision_runs_from_draft_through_comment_to_publication_and_a_filer_moves(
    page: Page, live_server
):
    catalogue = load_catalogue()
    admin = user_with_role(Role.ADMIN)
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    # A draft on 2026.1, half filled: criterion items answered with evidence, reference open.
    filing = answer_all(make_filing(officer))
    add_pdf(filing, officer, "対策実施状況.pdf", filing.answers.filter(item__is_criterion=True))
    filing.answers.filter(item__is_criterion=False).update(status="", implementation="")

    admin_drafts_the_revision(page, live_server, admin)
    draft = Catalogue.objects.get(version="2027.1")
    restructure_draft(draft)  # split SYS-2, merge INC-3 and INC-4, add SYS-7 (not clicked)
    page.screenshot(path="/tmp/i19-admin.png", full_page=True)
