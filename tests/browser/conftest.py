"""Browser tests run at a laptop's width, and every page they visit gets the layout check."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import WIDE, LayoutWatch

# A shared, noisy machine: give assertions as long as actions before calling a page wrong.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion switches off Bootstrap's colour transitions: axe-core's contrast check must
    # see a button's colours, not a frame halfway through a hover fading out.
    return {**browser_context_args, "viewport": WIDE, "reduced_motion": "reduce"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.test_failed = report.failed
    return report


@pytest.fixture(autouse=True)
def _controls_usable_on_every_page(request, monkeypatch):
    """``assert_controls_usable`` on each page the test lands on, at whatever width it runs."""
    if "page" not in request.fixturenames:
        yield
        return
    watch = LayoutWatch(request.getfixturevalue("page"))
    watch.install(monkeypatch)
    yield
    if not getattr(request.node, "test_failed", True):
        watch.check_pending()  # the last page
