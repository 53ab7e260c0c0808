import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.pages import log_in
from tests.factories import AggregatorFactory, load_catalogue, make_review, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filer_requests_the_filing_report_waits_and_downloads_it(page: Page, live_server, tmp_path):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = make_review(officer, **{"SYS-1": "partial"}).filing

    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}{filing.get_absolute_url()}")
    page.get_by_role("link", name="報告書").click()
    row = page.get_by_role("row").filter(has_text="届出内容報告書")
    row.get_by_role("button", name="作成を依頼").click()
    expect(row.get_by_text("作成済")).to_be_visible()
    with page.expect_download() as download:
        row.get_by_role("link", name="ダウンロード").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert filing.receipt_number in download.value.suggested_filename
    page.screenshot(path="test-results/reports.png", full_page=True)


def test_a_report_rendered_by_the_worker_shows_its_progress_in_place(
    page: Page, live_server, settings
):
    from reports.models import Report
    from reports.services import build_report

    # As with db_worker: the request only queues; the worker's turn comes below.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    filing = make_review(officer).filing

    log_in(page, live_server, officer.email)
    page.goto(f"{live_server.url}/filings/{filing.pk}/reports/")
    row = page.get_by_role("row").filter(has_text="届出内容報告書")
    row.get_by_role("button", name="作成を依頼").click()
    expect(row.get_by_role("status")).to_have_text("待機中")
    expect(row.get_by_role("button", name="作成中…")).to_be_disabled()  # no second request
    build_report(report_id=Report.objects.get(filing=filing).pk)
    expect(row.get_by_role("link", name="ダウンロード")).to_be_visible()  # in place, by script
    expect(row.get_by_text("作成済")).to_be_visible()
    assert Report.objects.filter(filing=filing).count() == 1
