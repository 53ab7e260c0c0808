"""Steps every browser journey shares."""

from playwright.sync_api import Page

from tests.factories import PASSWORD


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def log_out(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").click()
    page.get_by_role("button", name="ログアウト").click()
