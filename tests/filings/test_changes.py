"""The change list: two hand-built snapshots compared, one test per section."""

import pytest
from django.utils import translation

from filings.changes import compare_snapshots

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


def snapshot(items=(), evidence=(), filing=None, organisation=None, lower=None):
    return {
        "organisation": {"name": "甲株式会社", "address": "東京都", **(organisation or {})},
        "filing": {
            "expected_capacity_kw": 5000,
            "planned_start_date": "2027-01-05",
            **(filing or {}),
        },
        "items": list(items),
        "evidence": list(evidence),
        "lower_aggregators": {"uses": False, "aggregators": [], "coverage": [], **(lower or {})},
    }


def test_compare_reports_changed_answer_fields_only():
    old = snapshot([entry("A"), entry("B")])
    new = snapshot([entry("A", status="partial", target_date="2027-01-01"), entry("B")])
    changes = compare_snapshots(old, new)
    (change,) = changes.items
    assert change.code == "A" and change.change == "changed"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("status", "implemented", "partial"),
        ("target_date", None, "2027-01-01"),
    ]
    with translation.override("ja"):
        assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
            ("状態", "実施済", "一部実施"),
            ("対応予定日", "—", "2027年1月1日"),
        ]
    assert changes.count == 1 and not (changes.header or changes.evidence or changes.coverage)


def test_compare_reports_answer_evidence_by_name_and_added_or_removed_items():
    old = snapshot(
        [entry("A", evidence=[1]), entry("GONE")], [{"id": 1, "name": "旧.pdf", "sha256": "1"}]
    )
    new = snapshot(
        [entry("A", evidence=[7]), entry("NEW")], [{"id": 7, "name": "新.pdf", "sha256": "7"}]
    )
    changes = {change.code: change for change in compare_snapshots(old, new).items}
    (files,) = changes["A"].fields
    assert (files.field, files.old, files.new) == ("evidence", ["旧.pdf"], ["新.pdf"])
    assert changes["NEW"].change == "added" and changes["GONE"].change == "removed"


def test_compare_reports_header_fields_the_organisation_and_the_use_of_lower_aggregators():
    old = snapshot()
    new = snapshot(
        filing={"expected_capacity_kw": 6000, "chain_role": "coordinator"},
        organisation={"address": "大阪府"},
        lower={"uses": True},
    )
    header = compare_snapshots(old, new).header
    assert {(f.field, f.old, f.new) for f in header} == {
        ("address", "東京都", "大阪府"),
        ("expected_capacity_kw", 5000, 6000),
        ("chain_role", None, "coordinator"),
        ("uses", False, True),
    }
    with translation.override("ja"):
        texts = {f.field: (f.label, f.old_text, f.new_text) for f in header}
    assert texts["expected_capacity_kw"] == ("見込み供給力（kW）", "5,000 kW", "6,000 kW")
    assert texts["chain_role"][2] == "アグリゲーションコーディネーター"
    assert texts["uses"] == ("下位アグリゲーターの利用", "いいえ", "はい")


def test_compare_reports_evidence_files_added_and_removed_by_name_and_hash():
    kept = {"name": "方針.pdf", "sha256": "a" * 64, "kind": "item"}
    old = snapshot(
        evidence=[
            {"id": 1, **kept},
            {"id": 2, "name": "旧.pdf", "sha256": "b" * 64, "kind": "item"},
        ]
    )
    new = snapshot(
        evidence=[
            {"id": 11, **kept},  # copied into the change notification: a new id, the same file
            {"id": 12, "name": "方針.pdf", "sha256": "c" * 64, "kind": "lower_contract"},
        ]
    )
    changes = compare_snapshots(old, new).evidence
    assert [(c.change, c.name, c.sha256[0]) for c in changes] == [
        ("added", "方針.pdf", "c"),
        ("removed", "旧.pdf", "b"),
    ]
    with translation.override("ja"):
        assert changes[0].kind_label == "下位アグリゲーターとの契約条項"


def test_compare_reports_lower_aggregators_by_corporate_number():
    def lower(name, number, contract_date=None):
        return {"name": name, "corporate_number": number, "contract_date": contract_date}

    old = snapshot(
        lower={"uses": True, "aggregators": [lower("甲", "1"), lower("乙", "2", "2026-04-01")]}
    )
    new = snapshot(
        lower={
            "uses": True,
            "aggregators": [lower("乙（新商号）", "2", "2026-05-01"), lower("丙", "3")],
        }
    )
    changes = {c.corporate_number: c for c in compare_snapshots(old, new).lower_aggregators}
    assert changes["1"].change == "removed" and changes["3"].change == "added"
    assert changes["2"].change == "changed"
    assert [(f.field, f.old, f.new) for f in changes["2"].fields] == [
        ("name", "乙", "乙（新商号）"),
        ("contract_date", "2026-04-01", "2026-05-01"),
    ]
    with translation.override("ja"):
        assert changes["2"].fields[1].new_text == "2026年5月1日"


def test_compare_reports_coverage_changes():
    def row(code, covered, clause=""):
        return {"item": code, "title_ja": code, "covered": covered, "clause_reference": clause}

    old = snapshot(lower={"coverage": [row("SYS-1", False), row("SYS-2", True, "第3条")]})
    new = snapshot(lower={"coverage": [row("SYS-1", True, "第5条"), row("SYS-2", True, "第3条")]})
    (change,) = compare_snapshots(old, new).coverage
    assert change.code == "SYS-1"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("covered", False, True),
        ("clause_reference", "", "第5条"),
    ]


def test_compare_of_equal_snapshots_is_empty():
    same = snapshot([entry("A")], lower={"uses": True})
    assert not compare_snapshots(same, same) and compare_snapshots(same, same).count == 0
