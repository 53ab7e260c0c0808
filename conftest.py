"""Root pytest configuration: development settings, and Debian's Chromium for Playwright."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_DEBUG", "1")
# The live server and Playwright share the test process; Django's async-safety check would trip.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)  # a missing element fails in seconds, not half a minute
    return page
