import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.pages import NARROW, assert_controls_usable, log_in, log_out
from tests.factories import (
    AggregatorFactory,
    load_catalogue,
    make_filing,
    make_review,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit_all(page: Page, live_server, paths: list[str]) -> None:
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_controls_usable(page)


def test_main_pages_are_usable_on_a_phone(page: Page, live_server):
    load_catalogue()
    officer = user_with_role(Role.AGGREGATOR_OFFICER, AggregatorFactory.create())
    review = make_review(officer, **{"SYS-1": "partial"})
    submitted = review.filing
    draft = make_filing(officer, uses_lower_aggregators=True)
    reviewer = user_with_role(Role.REVIEWER)
    page.set_viewport_size(NARROW)

    page.goto(f"{live_server.url}/accounts/login/")
    assert_controls_usable(page)
    log_in(page, live_server, officer.email)
    draft_pages = ["", "header/", "checklist/", "evidence/", "lower-aggregators/", "submit/"]
    visit_all(
        page,
        live_server,
        [
            "/",
            "/filings/",
            "/filings/new/",
            *[f"/filings/{draft.pk}/{tab}" for tab in draft_pages],
            submitted.get_absolute_url(),
            f"/filings/{submitted.pk}/lower-aggregators/",
            f"/filings/{submitted.pk}/reports/",
            "/incidents/",
            "/incidents/new/",
            "/catalogue/",
            f"/catalogue/{submitted.catalogue.version}/items/SYS-1/",
            "/accounts/password/",
        ],
    )
    log_out(page)

    log_in(page, live_server, reviewer.email)
    visit_all(
        page,
        live_server,
        [
            "/",
            "/reviews/",
            "/reviews/dashboard/",
            review.get_absolute_url(),
            submitted.get_absolute_url(),
            "/reports/verify/",
            "/incidents/",
        ],
    )
