"""The one view of the whole filing: every item, answer and evidence file in one request."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from filings.services import submit_filing
from tests.factories import add_pdf, answer_all, large_catalogue, make_filing, make_review

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def whole(filing):
    return reverse("filings:filing_whole", args=[filing.pk])


def test_a_draft_shows_every_item_its_answer_and_evidence_on_one_page(catalogue, staff):
    filing = answer_all(make_filing(staff), **{"SYS-1": "not_implemented"})
    filing.answers.filter(item__code="ORG-1").update(implementation="情報セキュリティ委員会を設置")
    add_pdf(filing, staff, "体制図.pdf", filing.answers.filter(item__code="ORG-1"))
    content = client_for(staff).get(whole(filing)).content.decode()
    assert content.count('class="whole-item') == filing.answers.count()
    assert "この下書きを今提出した場合の内容です" in content
    found = re.search(r'id="item-ORG-1".*?</article>', content, re.S)
    assert found is not None
    card = found.group(0)
    assert "情報セキュリティ委員会を設置" in card and "体制図.pdf" in card and "実施済" in card
    unmet = re.search(r'<article class="([^"]*)" id="item-SYS-1"', content)
    assert unmet is not None and "whole-item-unmet" in unmet.group(1)


def test_a_reviewer_sees_the_filing_as_filed_whatever_changed_since(catalogue, officer, users):
    review = make_review(officer)
    filing = review.filing
    filing.answers.filter(item__code="ORG-1").update(implementation="提出後に書き換えた文")
    content = client_for(users[Role.REVIEWER]).get(whole(filing)).content.decode()
    assert filing.receipt_number in content and "その後の変更は表示しません" in content
    assert "提出後に書き換えた文" not in content
    assert content.count('class="whole-item') == len(filing.submission.snapshot["items"])


def test_the_whole_filing_costs_the_same_queries_at_29_and_360_items(catalogue, users, officer):
    counts, items = {}, {}
    for size in (29, 360):
        if size > 29:
            large_catalogue(catalogue, users[Role.ADMIN], size)
        draft = answer_all(make_filing(officer))
        add_pdf(draft, officer, "方針.pdf", draft.answers.all())
        filed = answer_all(make_filing(officer))
        add_pdf(filed, officer, "方針.pdf", filed.answers.all())
        submit_filing(filing=filed, actor=officer)
        client = client_for(officer)
        client.get(whole(draft))
        for name, filing in (("draft", draft), ("filed", filed)):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(whole(filing))
            assert response.status_code == 200
            counts[name, size] = len(queries)
            items[name, size] = response.content.decode().count('class="whole-item')
    assert items == {("draft", 29): 29, ("filed", 29): 29, ("draft", 360): 360, ("filed", 360): 360}
    assert counts["draft", 29] == counts["draft", 360], counts
    assert counts["filed", 29] == counts["filed", 360], counts


def test_the_filing_the_check_page_and_the_review_page_link_to_the_whole_filing(
    catalogue, officer, users
):
    draft = answer_all(make_filing(officer))
    client = client_for(officer)
    for page in (draft.get_absolute_url(), reverse("filings:filing_submit", args=[draft.pk])):
        assert f'href="{whole(draft)}"' in client.get(page).content.decode(), page
    review = make_review(officer)
    reviewer = client_for(users[Role.REVIEWER])
    detail = reverse("reviews:review_detail", args=[review.pk])
    for page in (detail, review.filing.get_absolute_url()):
        assert f'href="{whole(review.filing)}"' in reviewer.get(page).content.decode(), page
