import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from checklists.interchange import CatalogueFormatError, catalogue_to_document, dump_document
from checklists.models import Catalogue, Item
from checklists.services import import_catalogue

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def document():
    data = yaml.safe_load((ROOT / "fixtures/catalogue/2026.1.yaml").read_text(encoding="utf-8"))
    return {**data, "version": "2099.1"}  # 2026.1 itself is loaded for every test


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_round_trips_exactly(document, tmp_path, fmt):
    original = import_catalogue(data=document, actor=None, publish=True)
    first = catalogue_to_document(original)
    path = tmp_path / f"catalogue.{fmt}"
    call_command("export_catalogue", "2099.1", format=fmt, output=str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2099.1", "2099.2", 1), encoding="utf-8")
    call_command("import_catalogue", str(path), stdout=StringIO())
    second = catalogue_to_document(Catalogue.objects.get(version="2099.2"))
    assert {**second, "version": "2099.1"} == first
    assert dump_document(first, fmt).count("ORG-1") == 1


def test_import_with_a_missing_field_names_it_and_writes_nothing(document):
    broken = copy.deepcopy(document)
    del broken["items"][3]["title_ja"]
    with pytest.raises(CatalogueFormatError, match="title_ja"):
        import_catalogue(data=broken, actor=None)
    assert not Catalogue.objects.filter(version="2099.1").exists()
    assert not Item.objects.filter(catalogue__version="2099.1").exists()


def test_import_with_a_duplicate_item_code_is_refused_and_writes_nothing(document):
    broken = copy.deepcopy(document)
    broken["items"][5]["code"] = broken["items"][0]["code"]
    with pytest.raises(CatalogueFormatError, match="ORG-1"):
        import_catalogue(data=broken, actor=None)
    assert not Catalogue.objects.filter(version="2099.1").exists()


def test_import_with_an_unknown_edition_is_refused(document):
    broken = copy.deepcopy(document)
    broken["items"][0]["sources"][0]["edition"] = "NO-SUCH-GL"
    with pytest.raises(CatalogueFormatError, match="NO-SUCH-GL"):
        import_catalogue(data=broken, actor=None)


def test_import_command_reports_errors_in_japanese(document, tmp_path):
    broken = copy.deepcopy(document)
    del broken["items"][0]["category"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match=r"項目 ORG-1.*category"):
        call_command("import_catalogue", str(path))
    assert not Catalogue.objects.filter(version="2099.1").exists()


def test_importing_an_existing_version_is_refused(catalogue, document):
    with pytest.raises(CatalogueFormatError, match=r"2026\.1"):
        import_catalogue(data={**document, "version": "2026.1"}, actor=None)


def test_an_export_of_the_first_format_imports_with_criteria_from_required_and_in_seed(document):
    legacy = copy.deepcopy(document)
    legacy["version"] = "2025.9"
    for item in legacy["items"]:
        item["required"] = item.pop("is_criterion")
        item["in_seed"] = item["required"]
        del item["lower_coverage_required"], item["lower_coverage_verification"]
    legacy["items"][0]["in_seed"] = False  # required but not in the criterion document
    catalogue = import_catalogue(data=legacy, actor=None, publish=False)
    first = legacy["items"][0]["code"]
    assert not catalogue.items.get(code=first).is_criterion
    assert catalogue.items.criteria().count() == 15
