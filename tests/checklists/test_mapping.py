"""The mapping between catalogue versions: proposed, checked before publishing, exported and
imported with the catalogue, and read as a per-item diff."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Role
from checklists.interchange import catalogue_to_document
from checklists.mapping import catalogue_diff, mapping_problems
from checklists.models import Catalogue, ItemRelation
from checklists.services import (
    create_draft_catalogue,
    import_catalogue,
    propose_mapping,
    publish_catalogue,
)
from tests.factories import draft_revision

pytestmark = pytest.mark.django_db


def test_a_copy_starts_with_every_item_mapped_as_the_same(catalogue, users):
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=users[Role.ADMIN])
    relations = ItemRelation.objects.filter(catalogue=draft)
    assert relations.count() == catalogue.items.count()
    assert set(relations.values_list("relation", flat=True)) == {"same"}
    assert mapping_problems(draft) == []


def test_only_identical_code_and_text_is_proposed_as_the_same(catalogue, users):
    admin = users[Role.ADMIN]
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=admin)
    ItemRelation.objects.filter(catalogue=draft).delete()
    item = draft.items.get(code="SYS-3")
    item.requirement_ja = "書き換えた要約"
    item.save()
    assert propose_mapping(catalogue=draft, actor=admin) == catalogue.items.count() - 1
    assert not ItemRelation.objects.filter(new_item=item).exists()
    problems = mapping_problems(draft)
    assert len(problems) == 2 and all("SYS-3" in problem for problem in problems)


def test_publishing_is_refused_until_the_mapping_is_complete(catalogue, users):
    admin = users[Role.ADMIN]
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=admin)
    ItemRelation.objects.filter(catalogue=draft, new_item__code="ORG-1").delete()
    with pytest.raises(ValidationError, match="ORG-1"):
        publish_catalogue(catalogue=draft, actor=admin)
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_merge_marked_on_one_side_only_is_a_problem(catalogue, users):
    draft = draft_revision(catalogue, users[Role.ADMIN])
    assert mapping_problems(draft) == []
    ItemRelation.objects.filter(
        catalogue=draft, new_item__code="INC-3", old_item__code="INC-3"
    ).update(relation="reworded")
    assert any("INC-3" in problem for problem in mapping_problems(draft))


def test_the_diff_shows_each_kind_of_change(catalogue, users):
    draft = draft_revision(catalogue, users[Role.ADMIN])
    rows = {
        (row.new.code if row.new else row.old_codes): row
        for row in catalogue_diff(draft)
        if row.is_change
    }
    assert rows["SYS-3"].change == "reworded" and rows["SYS-3"].fields == ["requirement_ja"]
    assert rows["SYS-6"].change == "split" and rows["SYS-6"].old_codes == "SYS-2"
    assert rows["INC-3"].change == "merged" and rows["INC-3"].old_codes == "INC-3、INC-4"
    assert rows["SYS-7"].change == "new"
    assert rows["EXT-12"].change == "removed"
    assert "ORG-1" not in rows


def test_an_item_moved_to_another_category_is_shown_as_moved(catalogue, users):
    draft = create_draft_catalogue(based_on=catalogue, version="2026.2", actor=users[Role.ADMIN])
    item = draft.items.get(code="OPS-1")
    item.category = draft.categories.get(code="SYS")
    item.save()
    rows = [row for row in catalogue_diff(draft) if row.is_change]
    assert [(row.new.code, row.change) for row in rows if row.new] == [("OPS-1", "moved")]


def test_the_mapping_round_trips_through_the_interchange_document(catalogue, users):
    draft = draft_revision(catalogue, users[Role.ADMIN])
    document = catalogue_to_document(draft)
    assert document["based_on"] == "2026.1"
    assert {"new": "SYS-6", "old": "SYS-2", "relation": "split", "note": ""} in document["mapping"]
    assert {"new": None, "old": "EXT-12", "relation": "removed", "note": ""} in document["mapping"]
    document["version"] = "2027.1-copy"
    copy = import_catalogue(data=document, actor=None)
    exported = catalogue_to_document(copy)
    assert exported["mapping"] == document["mapping"]
    assert mapping_problems(copy) == []


def test_a_shipped_document_without_a_mapping_exports_as_before(catalogue):
    document = catalogue_to_document(catalogue)
    assert "mapping" not in document and "based_on" not in document


def test_publishing_records_the_effective_date_and_new_filings_wait_for_it(catalogue, users):
    from datetime import timedelta

    from django.utils import timezone

    draft = draft_revision(catalogue, users[Role.ADMIN])
    later = timezone.localdate() + timedelta(days=30)
    publish_catalogue(catalogue=draft, actor=users[Role.ADMIN], effective_on=later)
    assert Catalogue.objects.current() == catalogue
    assert Catalogue.objects.in_effect(later).order_by("-published_at").first() == draft


def test_the_admin_publishes_only_after_a_confirmation_page_with_the_diff(catalogue, users):
    draft = draft_revision(catalogue, users[Role.ADMIN])
    client = Client()
    client.force_login(users[Role.ADMIN])
    url = "/admin/checklists/catalogue/"
    data = {"action": "publish_selected", "_selected_action": [draft.pk]}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "SYS-6" in page.content.decode() and "EXT-12" in page.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published
    client.post(url, {**data, "confirm": "yes", "effective_on": "2027-04-01"})
    draft.refresh_from_db()
    assert draft.is_published and str(draft.effective_on) == "2027-04-01"
