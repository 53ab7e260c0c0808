import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from checklists.services import create_draft_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE_URL = reverse("checklists:catalogue_detail")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", Role.values)
def test_every_role_can_browse_the_published_catalogue(catalogue, users, role):
    response = client_for(users[role]).get(CATALOGUE_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "体制（経営層の責任等）" in content
    assert "出典未確認" in content
    assert "電制" in content and "ERAB" in content


def test_catalogue_requires_login(catalogue):
    assert Client().get(CATALOGUE_URL).status_code == 302


def test_catalogue_refuses_post(catalogue, users):
    assert client_for(users[Role.REVIEWER]).post(CATALOGUE_URL).status_code == 405


def test_keyword_search_narrows_the_items(catalogue, users):
    content = client_for(users[Role.REVIEWER]).get(CATALOGUE_URL, {"q": "暗号化"}).content.decode()
    assert "通信のセキュリティ（暗号化、通信プロトコル等）" in content
    assert "外部記憶媒体等のマルウェア対策" not in content


def test_search_with_no_match_says_so(catalogue, users):
    content = client_for(users[Role.REVIEWER]).get(CATALOGUE_URL, {"q": "量子"}).content.decode()
    assert "該当する項目はありません" in content


def test_item_page_shows_requirement_evidence_examples_and_unverified_sources(catalogue, users):
    url = reverse("checklists:item_detail", args=["2026.1", "SYS-3"])
    content = client_for(users[Role.AGGREGATOR_STAFF]).get(url).content.decode()
    assert "暗号化" in content
    assert "証跡の例" in content
    assert "出典未確認" in content
    assert "JESC Z0004(2016)" in content


def test_unknown_item_is_not_found(catalogue, users):
    url = reverse("checklists:item_detail", args=["2026.1", "NOPE-1"])
    assert client_for(users[Role.REVIEWER]).get(url).status_code == 404


def test_draft_versions_are_visible_to_admins_only(catalogue, users):
    create_draft_catalogue(based_on=catalogue, version="2027.1-draft", actor=users[Role.ADMIN])
    url = reverse("checklists:catalogue_version", args=["2027.1-draft"])
    assert client_for(users[Role.REVIEWER]).get(url).status_code == 404
    assert client_for(users[Role.AGGREGATOR_OFFICER]).get(url).status_code == 404
    assert client_for(users[Role.ADMIN]).get(url).status_code == 200


def test_catalogue_page_query_count_does_not_grow_with_items(catalogue, users):
    client = client_for(users[Role.REVIEWER])
    client.get(CATALOGUE_URL)  # warm the session
    with CaptureQueriesContext(connection) as full:
        client.get(CATALOGUE_URL)
    with CaptureQueriesContext(connection) as narrow:
        client.get(CATALOGUE_URL, {"q": "暗号化"})
    assert len(full) == len(narrow)
    assert len(full) <= 9  # with the navbar's task count


def test_a_nul_byte_in_the_search_is_ignored_not_a_crash(catalogue, users):
    response = client_for(users[Role.REVIEWER]).get(CATALOGUE_URL, {"q": "暗号\x00化"})
    assert response.status_code == 200
    assert "通信のセキュリティ" in response.content.decode()
