import pytest

from filings.snapshots import canonical_json, compare_snapshots
from portal.models import Role
from tests.factories import add_pdf, make_submitted

pytestmark = pytest.mark.django_db


def entry(code, **values):
    base = {
        "code": code,
        "title_ja": code,
        "status": "implemented",
        "implementation": "済",
        "justification": "",
        "target_date": None,
        "evidence": [],
    }
    return {**base, **values}


def test_canonical_json_is_stable_and_compact():
    assert canonical_json({"b": 1, "a": "日本"}) == '{"a":"日本","b":1}'


def test_compare_reports_changed_fields_only():
    old = {"items": [entry("A"), entry("B")], "evidence": []}
    new = {
        "items": [entry("A", status="partial", target_date="2027-01-01"), entry("B")],
        "evidence": [],
    }
    (change,) = compare_snapshots(old, new)
    assert change.code == "A"
    assert change.fields == {
        "status": ("implemented", "partial"),
        "target_date": (None, "2027-01-01"),
    }


def test_compare_reports_evidence_by_name_and_added_or_removed_items():
    old = {
        "items": [entry("A", evidence=[1]), entry("GONE")],
        "evidence": [{"id": 1, "name": "旧.pdf"}],
    }
    new = {
        "items": [entry("A", evidence=[7]), entry("NEW")],
        "evidence": [{"id": 7, "name": "新.pdf"}],
    }
    changes = {change.code: change for change in compare_snapshots(old, new)}
    assert changes["A"].fields == {"evidence": ("旧.pdf", "新.pdf")}
    assert changes["NEW"].change == "added"
    assert changes["GONE"].change == "removed"


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
