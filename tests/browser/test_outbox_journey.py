"""An admin finds the e-mails the portal could not send, with the reason, and sends them again."""

import pytest
from playwright.sync_api import Page, expect

from outbox.models import MAX_ATTEMPTS, OutgoingMail
from tests.browser.pages import log_in
from tests.browser.test_login_proof_journey import shoot
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sees_failed_sends_and_sends_them_again(page: Page, live_server):
    admin = user_with_role("admin")
    OutgoingMail.objects.create(
        subject="[ポータル] 届出を受け付けました: CS-2026-000001",
        body="本文",
        recipients=["officer@aggregator-a.example"],
        status="failed",
        attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    OutgoingMail.objects.create(
        subject="送信済みのメール", body="本文", recipients=["a@example.jp"]
    )
    log_in(page, live_server, admin.email)
    page.goto(f"{live_server.url}/admin/")
    page.locator('a[href$="/admin/outbox/outgoingmail/"]').first.click()  # the model, not the app
    page.get_by_role("link", name="失敗", exact=True).click()
    row = page.get_by_role("row").filter(has_text="CS-2026-000001")
    expect(row).to_contain_text("Connection refused")
    expect(page.get_by_text("待機中のメール")).to_be_hidden()
    shoot(page, "admin-outbox")
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("retry")
    page.get_by_role("button", name="実行").click()
    expect(page.get_by_text("1 件のメールを再送信の待ち行列に入れました。")).to_be_visible()
    sent = OutgoingMail.objects.get(subject__contains="CS-2026-000001")
    assert sent.status == "sent", (sent.attempts, sent.last_error)
