"""A security incident report from the filer's form to the lead's determination."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from filings.models import LowerAggregator
from filings.services import submit_filing
from reviews.models import IncidentReport
from tests.browser.pages import log_in, log_out
from tests.factories import (
    AggregatorFactory,
    answer_all,
    load_catalogue,
    make_filing,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_incident_at_a_lower_tier_with_supply_impact_goes_to_the_improvement_order_procedure(
    page: Page, live_server
):
    load_catalogue()
    company = AggregatorFactory.create()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, company)
    filing = answer_all(make_filing(officer, uses_lower_aggregators=True), **{"OPS-1": "partial"})
    LowerAggregator.objects.create(filing=filing, name="下位エナジー株式会社", corporate_number="")
    submit_filing(filing=filing, actor=officer)
    reviewer = user_with_role(Role.REVIEWER)
    lead = user_with_role(Role.REVIEW_LEAD, reviewer.organisation)
    occurred = timezone.now() - timedelta(hours=5)

    log_in(page, live_server, officer.email)
    page.get_by_role("link", name="セキュリティ事故報告").first.click()
    page.get_by_role("link", name="セキュリティ事故を報告").click()
    page.get_by_label("発生日時").fill(local(occurred))
    page.get_by_label("検知日時").fill(local(occurred - timedelta(hours=1)))
    page.get_by_label("下位アグリゲーター", exact=True).check()
    page.get_by_label("事象の内容").fill("下位アグリゲーターの制御サーバがマルウェアに感染した。")
    page.get_by_label("影響を受けたシステム").fill("下位アグリゲーターの制御サーバ")
    page.get_by_label("電力供給への支障：発生").check()
    page.get_by_label("OPS-1 外部記憶媒体等のマルウェア対策").check()
    page.get_by_role("button", name="報告を提出").click()
    # Detection before the incident, and no name of the lower-level aggregator: both refused,
    # the rest of what was typed is kept.
    expect(page.get_by_text("検知日時は発生日時より前にできません。", exact=True)).to_be_visible()
    expect(
        page.get_by_text("発生した下位アグリゲーターを選んでください。", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("事象の内容")).to_have_value(
        "下位アグリゲーターの制御サーバがマルウェアに感染した。"
    )
    page.get_by_label("検知日時").fill(local(occurred + timedelta(minutes=30)))
    page.get_by_label("発生した下位アグリゲーター").select_option("下位エナジー株式会社")
    page.get_by_label("影響を受けた容量（kW）").fill("1500")
    page.get_by_label("連絡・通報先").fill("一般送配電事業者")
    page.get_by_role("button", name="報告を提出").click()
    expect(page.get_by_role("alert").first).to_contain_text("セキュリティ事故報告を提出しました")
    expect(page.get_by_text("下位エナジー株式会社")).to_be_visible()
    log_out(page)

    incident = IncidentReport.objects.get()
    (flag,) = incident.flags.all()
    log_in(page, live_server, reviewer.email)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    card = page.locator(f"#flag-{flag.pk}")
    expect(card).to_contain_text("業務改善命令候補")
    expect(card).to_contain_text("下位エナジー株式会社")
    expect(card).to_contain_text("OPS-1")  # unmet in the latest filing, listed as a fact
    card.get_by_label("指摘維持", exact=True).check()
    card.get_by_role("button", name="判断を記録").click()
    expect(page.get_by_role("alert").first).to_contain_text("判断を記録しました")
    log_out(page)

    log_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    page.get_by_label("業務改善命令の手続へ移行").check()
    page.locator("#id_reason").fill("下位アグリゲーターへの要件の不備により供給に支障が生じた。")
    page.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_role("heading", name="判定の確認")).to_be_visible()
    page.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_text("業務改善命令の手続へ移行").first).to_be_visible()
    incident.refresh_from_db()
    assert incident.determination == "order_procedure"
