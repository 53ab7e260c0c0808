"""Concurrent requests on whichever database the suite runs on (SQLite file in WAL mode with
immediate transactions by default, PostgreSQL in CI): they queue, none fails, nothing is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from filings.models import Answer, Submission
from reports.models import Report
from tests.factories import answer_all, make_filing, make_submitted
from tests.filings.test_views import answer_post

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(calls: list) -> list:
    """Run the calls in threads released together; each thread's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported by the test, not swallowed
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_ten_concurrent_submits_make_one_submission_and_no_server_error(catalogue, officer):
    filing = answer_all(make_filing(officer))
    url = reverse("filings:filing_submit", args=[filing.pk])
    clients = [logged_in(officer) for _ in range(10)]
    responses = at_once(
        [lambda client=client: client.post(url, {"confirm": "on"}) for client in clients]
    )
    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses == [302] * 10  # the later ones are told it was already submitted
    assert Submission.objects.filter(filing=filing).count() == 1


def test_concurrent_saves_of_different_items_all_stand(catalogue, staff):
    filing = make_filing(staff)
    codes = list(filing.answers.values_list("item__code", flat=True)[:8])
    posts = [answer_post(filing, code, status="implemented", implementation=code) for code in codes]
    clients = [logged_in(staff) for _ in codes]
    responses = at_once(
        [lambda c=client, p=post: c.post(*p) for client, post in zip(clients, posts, strict=True)]
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302] * len(codes)
    saved = Answer.objects.filter(filing=filing, item__code__in=codes, status="implemented")
    assert sorted(saved.values_list("implementation", flat=True)) == sorted(codes)


def test_ten_concurrent_report_requests_render_one_report_and_no_server_error(
    catalogue, officer, signing_pair
):
    filing = make_submitted(officer)
    url = reverse("reports:report_request", args=[filing.pk, "filing_report"])
    clients = [logged_in(officer) for _ in range(10)]
    responses = at_once(
        [lambda client=client: client.post(url, {"confirm": "on"}) for client in clients]
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 10
    reports = Report.objects.filter(filing=filing, kind="filing_report")
    assert reports.count() == 1
    assert reports.get().status == Report.Status.READY
