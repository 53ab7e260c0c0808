"""The order procedure, clicked through as its users do: a change order from the determination
to compliance, an incident to an improvement order, and a case closed without an order."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from accounts.models import Role
from orders.models import Notice, OrderCase
from tests.browser.pages import NARROW, WIDE, log_in, log_out
from tests.factories import (
    AggregatorFactory,
    answer_all,
    incident_fields,
    issuing_authority,
    load_catalogue,
    make_review,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ORDER_SHOTS")  # a directory: PNGs of each page at 1366 and 390 px


def shot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for label, size in (("wide", WIDE), ("narrow", NARROW)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def day(offset: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def people():
    load_catalogue()
    issuing_authority()
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    reviewer = user_with_role(Role.REVIEWER)
    lead = user_with_role(Role.REVIEW_LEAD, reviewer.organisation)
    return officer, reviewer, lead


def uphold_all(owner, reviewer) -> None:
    from reviews.services import decide_flag

    for flag in owner.flags.awaiting_decision():
        decide_flag(flag=flag, actor=reviewer, decision="uphold", reason="確認した。")


def expect_success(page: Page, text: str) -> None:
    expect(page.get_by_role("alert").first).to_contain_text(text)


def determine_in_browser(page: Page, live_server, lead, url: str, choice: str) -> None:
    log_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}{url}")
    page.get_by_label(choice).check()
    page.locator("#id_reason").fill("勧告事項が未実施であり、是正が必要である。")
    page.get_by_role("button", name="判定を記録").click()
    page.get_by_role("button", name="判定を記録").click()
    page.get_by_role("link", name="処分手続を開く").click()
    expect(page.get_by_role("heading", name="処分手続", exact=False).first).to_be_visible()


def choose_and_draft_notice(page: Page, kind_label: str | None = None) -> None:
    if kind_label:
        page.get_by_label("予定する処分").select_option(label=kind_label)
    page.get_by_label("弁明の機会の付与").check()
    page.get_by_label("手続の種類を選んだ理由").fill("行政手続法13条1項1号に該当しない。")
    page.get_by_label("名あて人の代表者").fill("代表取締役 山田 太郎")
    page.get_by_role("button", name="手続の種類を記録").click()
    expect_success(page, "手続の種類を記録しました。")
    page.get_by_label("予定される不利益処分の内容").fill("サイバーセキュリティ対策の是正を命ずる。")
    page.get_by_label("弁明書の提出期限").fill(day(10))
    page.get_by_label("弁明書の提出先（聴聞の場合は聴聞の場所）").fill("資源エネルギー庁")
    page.get_by_role("button", name="通知書の起案を保存").click()
    expect_success(page, "起案を保存しました。")


def issue(page: Page) -> None:
    page.get_by_role("button", name="承認して発出").click()
    expect_success(page, "文書番号を付して通知書を発出しました。")


def record_arrival(page: Page) -> None:
    page.get_by_label(re.compile(r"^\s*到達日")).fill(day())
    page.get_by_role("button", name="到達日を記録").click()
    expect_success(page, "到達日を記録しました。")


def record_opinion_and_draft_order(page: Page, due: int = 60) -> None:
    page.get_by_label("意見を求めた日").fill(day())
    page.get_by_label(re.compile(r"^\s*委員会の意見")).fill("命令を行うことが適当である。")
    page.get_by_label("意見の到達日").fill(day())
    page.get_by_role("button", name="意見を記録").click()
    expect_success(page, "委員会の意見を記録しました。")
    page.get_by_label("命令の内容（主文：変更を求める事項）").fill("対策を実施すること。")
    page.get_by_label("履行期限").fill(day(due))
    page.get_by_label("理由（事実及び適用した基準）").fill("勧告事項が満たされていない。")
    page.get_by_role("button", name="命令書の起案を保存").click()
    expect_success(page, "起案を保存しました。")


def test_a_change_order_from_the_determination_to_compliance(page: Page, live_server):
    officer, reviewer, lead = people()
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    uphold_all(review, reviewer)
    determine_in_browser(
        page, live_server, lead, review.get_absolute_url(), "変更命令等の手続へ移行"
    )
    case_url = page.url
    log_out(page)

    log_in(page, live_server, reviewer.email)
    page.goto(case_url)
    choose_and_draft_notice(page)
    shot(page, "case-draft-notice")
    page.get_by_role("button", name="承認して発出").click()  # a reviewer may not issue
    expect(page.get_by_role("alert").first).to_contain_text(
        "承認・発出は審査責任者のみが行えます。"
    )
    assert not Notice.objects.filter(status="issued").exists()
    log_out(page)

    log_in(page, live_server, lead.email)
    page.goto(case_url)
    issue(page)
    record_arrival(page)
    log_out(page)

    log_in(page, live_server, officer.email)
    page.get_by_role("link", name="弁明書").first.click()  # my tasks: the written explanation
    expect(page.get_by_text("弁明の機会の付与通知書").first).to_be_visible()
    page.get_by_role("textbox", name="弁明書").fill("ORG-1 は来月までに実施します。")
    plan: FilePayload = {
        "name": "計画.txt",
        "mimeType": "text/plain",
        "buffer": "実施計画".encode(),
    }
    page.get_by_label("添付書類（任意）").set_input_files(files=[plan])
    page.get_by_role("button", name="弁明書を提出").click()
    expect_success(page, "弁明書を提出しました。")
    expect(page.get_by_role("link", name="計画.txt")).to_be_visible()
    shot(page, "case-filer")
    log_out(page)

    log_in(page, live_server, reviewer.email)
    page.goto(case_url)
    record_opinion_and_draft_order(page)
    log_out(page)

    log_in(page, live_server, lead.email)
    page.goto(case_url)
    issue(page)
    record_arrival(page)
    shot(page, "case-order-issued")
    log_out(page)

    from filings.services import start_change_notification, submit_filing

    change = answer_all(start_change_notification(filing=review.filing, actor=officer))
    submit_filing(filing=change, actor=officer)
    log_in(page, live_server, officer.email)
    page.goto(case_url)
    page.get_by_label("命令に対応する変更届出").select_option(index=1)
    page.get_by_role("button", name="規制当局に提出").click()
    expect_success(page, "規制当局に提出しました。")
    log_out(page)

    log_in(page, live_server, reviewer.email)
    page.goto(case_url)
    page.get_by_label("受理する").check()
    page.get_by_role("button", name="判断を記録").click()
    expect_success(page, "判断を記録しました。")
    log_out(page)

    log_in(page, live_server, lead.email)
    page.goto(case_url)
    page.get_by_role("button", name="命令の履行を記録して終結").click()
    expect_success(page, "命令の履行を記録し、処分手続を終結しました。")
    shot(page, "case-closed")
    case = OrderCase.objects.get()
    assert (case.status, case.outcome) == ("closed", "complied")
    numbers = list(Notice.objects.order_by("id").values_list("document_number", flat=True))
    assert [n.rsplit("第", 1)[1] for n in numbers] == ["1号", "2号"]


def test_an_incident_goes_to_an_improvement_order(page: Page, live_server):
    from reviews.services import file_incident_report

    officer, reviewer, lead = people()
    make_review(officer, **{"OPS-1": "partial"})
    incident = file_incident_report(
        actor=officer, fields=incident_fields(supply_impact="disrupted"), related_items=[]
    )
    uphold_all(incident, reviewer)
    determine_in_browser(
        page, live_server, lead, incident.get_absolute_url(), "業務改善命令の手続へ移行"
    )
    case_url = page.url
    choose_and_draft_notice(page)
    issue(page)
    record_arrival(page)
    log_out(page)

    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/orders/consent/")
    page.get_by_label("処分通知等をポータル及び電子メールで受け取ることに同意します").check()
    page.get_by_label("通知を受け取る電子メールアドレス").fill("notices@example.jp")
    page.get_by_role("button", name="保存").click()
    expect_success(page, "電子通知についての申出を記録しました。")
    shot(page, "consent")
    page.get_by_role("link", name="処分手続", exact=True).first.click()
    shot(page, "case-list-filer")
    page.goto(case_url)
    page.get_by_label("弁明書を提出しません").check()
    page.get_by_role("button", name="弁明書を提出").click()
    expect_success(page, "弁明書を提出しました。")
    log_out(page)

    log_in(page, live_server, lead.email)
    page.goto(case_url)
    record_opinion_and_draft_order(page, due=30)
    issue(page)
    expect(page.get_by_text("ポータル及び電子メール（同意あり）")).to_be_visible()
    log_out(page)

    log_in(page, live_server, officer.email)
    page.goto(case_url)  # an electronic notice reaches the officer when it is opened
    assert Notice.objects.get(kind="order").delivered_on == timezone.localdate()
    page.get_by_label("内容").fill("保守端末の管理手順を改め、月次で点検する。")
    page.get_by_role("button", name="規制当局に提出").click()
    expect_success(page, "規制当局に提出しました。")
    shot(page, "incident-case-filer")
    case = OrderCase.objects.get()
    assert case.kind == "improvement_order"
    assert case.follow_ups.get().status == "submitted"


def test_a_case_closed_without_an_order(page: Page, live_server):
    officer, reviewer, lead = people()
    review = make_review(officer, **{"ORG-1": "not_implemented"})
    uphold_all(review, reviewer)
    determine_in_browser(
        page, live_server, lead, review.get_absolute_url(), "変更命令等の手続へ移行"
    )
    case_url = page.url
    choose_and_draft_notice(page, kind_label="中止命令")
    issue(page)
    page.get_by_text("処分を行わずに終結する").click()
    page.get_by_label("処分を行わない理由").fill("弁明により、是正済みであることを確認した。")
    page.get_by_role("button", name="終結通知の起案を保存").click()
    expect_success(page, "起案を保存しました。")
    page.goto(case_url)
    page.locator("#decision-title").scroll_into_view_if_needed()
    page.get_by_role("button", name="承認して発出").click()
    expect_success(page, "文書番号を付して通知書を発出しました。")
    expect(page.get_by_text("処分を行わずに終結").first).to_be_visible()
    shot(page, "case-closed-without-order")
    case = OrderCase.objects.get()
    assert (case.status, case.outcome, case.kind) == ("closed", "no_order", "suspension_order")
