"""The catalogue's admin: publishing a draft shows what it changes first, and waits for a yes."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from checklists.models import Catalogue
from checklists.services import create_draft_catalogue
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_shows_its_changes_and_publishes_only_when_confirmed(catalogue):
    admin_user = user_with_role(Role.ADMIN)
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=admin_user)
    draft.items.filter(code="ORG-1").update(title_ja="体制（改訂）")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:checklists_catalogue_changelist")
    asked = client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})
    content = asked.content.decode()
    assert asked.status_code == 200 and "体制（改訂）" in content and "ORG-1" in content
    draft.refresh_from_db()
    assert not draft.is_published
    client.post(
        url, {"action": "publish_selected", "_selected_action": [draft.pk], "confirmed": "yes"}
    )
    assert Catalogue.objects.get(pk=draft.pk).is_published
