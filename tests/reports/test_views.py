"""The report list while a rendering is pending: status in place, no second rendering."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from reports.models import Report
from reports.services import build_report
from tests.factories import make_submitted

WORKER_ELSEWHERE = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=WORKER_ELSEWHERE)  # queued, as with db_worker: nothing renders here
def test_a_pending_report_shows_its_status_disables_its_button_and_is_queued_once(
    catalogue, officer
):
    filing = make_submitted(officer)
    client = Client()
    client.force_login(officer)
    url = reverse("reports:report_request", args=[filing.pk, "filing_report"])
    client.post(url)
    client.post(url)  # a second click while it is pending
    report = Report.objects.get(filing=filing, kind="filing_report")
    assert report.status == Report.Status.QUEUED
    page = client.get(reverse("reports:report_list", args=[filing.pk])).content.decode()
    assert "作成中…" in page and "disabled" in page
    status_url = reverse("reports:report_status", args=[report.pk])
    assert f'data-report-status-url="{status_url}"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert client.get(status_url).json() == {"status": "queued", "label": "待機中", "busy": True}
    build_report(report_id=report.pk)  # the worker's turn
    assert client.get(status_url).json()["status"] == "ready"
    page = client.get(reverse("reports:report_list", args=[filing.pk])).content.decode()
    assert "作成中…" not in page and "refresh" not in page


def test_the_status_of_another_companys_report_is_not_found(catalogue, officer, other_company):
    from accounts.models import Role
    from tests.factories import user_with_role

    filing = make_submitted(officer)
    client = Client()
    client.force_login(officer)
    client.post(reverse("reports:report_request", args=[filing.pk, "filing_report"]))
    report = Report.objects.get()
    stranger = Client()
    stranger.force_login(user_with_role(Role.AGGREGATOR_OFFICER, other_company))
    assert stranger.get(reverse("reports:report_status", args=[report.pk])).status_code == 404


pytestmark = pytest.mark.django_db
