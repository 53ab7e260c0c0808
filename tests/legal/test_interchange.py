import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from legal.interchange import LegalFormatError, basis_set_to_document, dump_document
from legal.models import BasisSet, LegalBasis
from legal.services import import_basis_set

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures/legal/2026.1.yaml"


@pytest.fixture
def document():
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return {**data, "version": "2099.1"}  # 2026.1 itself is loaded for every test


def test_the_shipped_file_exports_back_byte_for_byte():
    out = StringIO()
    call_command("export_legal_bases", "2026.1", stdout=out)
    assert out.getvalue() == FIXTURE.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_round_trips_without_change(document, tmp_path, fmt):
    first = basis_set_to_document(import_basis_set(data=document, actor=None, publish=True))
    path = tmp_path / f"legal.{fmt}"
    call_command("export_legal_bases", "2099.1", format=fmt, output=str(path))
    path.write_text(
        path.read_text(encoding="utf-8").replace("2099.1", "2099.2", 1), encoding="utf-8"
    )
    call_command("import_legal_bases", str(path), stdout=StringIO())
    second = basis_set_to_document(BasisSet.objects.get(version="2099.2"))
    assert {**second, "version": "2099.1"} == first
    assert dump_document(first, fmt).count("eba-27-30-5") == 1


def test_an_existing_version_is_refused(document):
    with pytest.raises(LegalFormatError, match=r"2026\.1"):
        import_basis_set(data={**document, "version": "2026.1"}, actor=None)


def test_if_missing_makes_a_second_load_a_no_op():
    call_command("import_legal_bases", str(FIXTURE), "--publish", "--if-missing", stdout=StringIO())
    assert BasisSet.objects.filter(version="2026.1").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["bases"][0].pop("text"), "text"),
        (lambda d: d["bases"][0].update(verification="confirmed"), "confirmed"),
        (lambda d: d["bases"][0].update(verified_against=""), "eba-27-30-1"),
        (lambda d: d["bases"][1].update(code=d["bases"][0]["code"]), "eba-27-30-1"),
        (lambda d: d["bases"][-1].update(source_document=""), "self-assessment-matter"),
        (lambda d: d["matters"][0].update(regime="sometimes"), "sometimes"),
    ],
)
def test_a_broken_document_names_the_problem_and_writes_nothing(document, change, message):
    broken = copy.deepcopy(document)
    change(broken)
    with pytest.raises(LegalFormatError, match=message):
        import_basis_set(data=broken, actor=None)
    assert not BasisSet.objects.filter(version="2099.1").exists()
    assert not LegalBasis.objects.filter(basis_set__version="2099.1").exists()


def test_the_command_reports_a_broken_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: x\nbases: [", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.yaml"):
        call_command("import_legal_bases", str(path))
