import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from checklists.models import ItemSource
from checklists.services import create_draft_catalogue, publish_catalogue

pytestmark = pytest.mark.django_db


def test_published_catalogue_cannot_be_edited_in_place(catalogue):
    item = catalogue.items.get(code="ORG-1")
    item.title_ja = "書き換え"
    with pytest.raises(ValidationError):
        item.save()
    source = item.sources.first()
    source.clause = "第1条"
    with pytest.raises(ValidationError):
        source.save()
    with pytest.raises(ValidationError):
        item.delete()
    item.refresh_from_db()
    assert item.title_ja == "体制（経営層の責任等）"


def test_admin_corrects_a_draft_copy_and_publishes_it_as_a_new_version(catalogue, users):
    admin = users["admin"]
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=admin)
    assert draft.items.count() == catalogue.items.count()
    assert ItemSource.objects.filter(item__catalogue=draft).count() == (
        ItemSource.objects.filter(item__catalogue=catalogue).count()
    )
    source = ItemSource.objects.filter(item__catalogue=draft, item__code="ORG-1").first()
    assert source is not None
    source.clause = "第2-1条"
    source.verification = ItemSource.Verification.VERIFIED
    source.save()
    publish_catalogue(catalogue=draft, actor=admin)
    original = ItemSource.objects.filter(item__catalogue=catalogue, item__code="ORG-1").first()
    assert original is not None
    assert original.clause != "第2-1条"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "catalogue.draft" in actions and "catalogue.publish" in actions


def test_publishing_twice_is_refused(catalogue, users):
    with pytest.raises(ValidationError):
        publish_catalogue(catalogue=catalogue, actor=users["admin"])


def test_a_required_item_without_source_blocks_publishing(catalogue, users):
    draft = create_draft_catalogue(based_on=catalogue, version="2026.3", actor=users["admin"])
    ItemSource.objects.filter(item__catalogue=draft, item__code="ORG-2").delete()
    with pytest.raises(ValidationError, match="ORG-2"):
        publish_catalogue(catalogue=draft, actor=users["admin"])
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_current_catalogue_is_the_newest_published(catalogue, users):
    draft = create_draft_catalogue(based_on=catalogue, version="2026.4", actor=users["admin"])
    assert type(catalogue).objects.current() == catalogue
    publish_catalogue(catalogue=draft, actor=users["admin"])
    assert type(catalogue).objects.current() == draft
