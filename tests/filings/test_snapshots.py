import pytest

from accounts.models import Role
from filings.snapshots import canonical_json
from tests.factories import add_pdf, make_submitted

pytestmark = pytest.mark.django_db


def test_canonical_json_is_stable_and_compact():
    assert canonical_json({"b": 1, "a": "日本"}) == '{"a":"日本","b":1}'


def test_snapshot_holds_header_answers_sources_evidence_metadata_and_catalogue(catalogue, users):
    officer = users[Role.AGGREGATOR_OFFICER]
    filing = make_submitted(officer)
    snapshot = filing.submission.snapshot
    assert snapshot["organisation"]["corporate_number"] == officer.organisation.corporate_number
    assert snapshot["catalogue"]["version"] == "2026.1"
    assert snapshot["filing"]["expected_capacity_kw"] == 5000
    first = snapshot["items"][0]
    assert first["code"] == "ORG-1" and first["sources"]
    assert snapshot["lower_aggregators"]["uses"] is False
    assert len(snapshot["items"]) == catalogue.items.count()


def test_evidence_in_the_snapshot_is_metadata_with_hashes(catalogue, users):
    from filings.services import submit_filing
    from tests.factories import answer_all, make_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    filing = make_filing(officer)
    evidence = add_pdf(filing, officer, answers=filing.answers.filter(item__code="ORG-1"))
    answer_all(filing)
    submit_filing(filing=filing, actor=officer)
    filing.refresh_from_db()
    snapshot = filing.submission.snapshot
    assert snapshot["evidence"] == [
        {
            "id": evidence.pk,
            "kind": "item",
            "name": "方針.pdf",
            "content_type": "application/pdf",
            "size": evidence.size,
            "sha256": evidence.sha256,
        }
    ]
    assert snapshot["items"][0]["evidence"] == [evidence.pk]


def test_the_lower_level_requirement_and_contract_files_are_evidence_of_the_requirement_item(
    catalogue, users
):
    from filings.snapshots import build_draft_snapshot
    from tests.factories import answer_all, make_filing

    officer = users[Role.AGGREGATOR_OFFICER]
    filing = answer_all(make_filing(officer, uses_lower_aggregators=True))
    document = add_pdf(filing, officer, name="要件書.pdf")
    contract = add_pdf(filing, officer, name="契約.pdf")
    document.__class__.objects.filter(pk=document.pk).update(kind="lower_requirements")
    contract.__class__.objects.filter(pk=contract.pk).update(kind="lower_contract")
    snapshot = build_draft_snapshot(filing=filing, user=officer)
    entries = {entry["code"]: entry for entry in snapshot["items"]}
    assert entries["SUP-1"]["evidence"] == [document.pk, contract.pk]
    assert entries["ORG-1"]["evidence"] == []
