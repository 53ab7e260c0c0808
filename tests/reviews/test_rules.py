"""Each rule against hand-built snapshots: the rules read only the snapshot."""

from reviews import rules


def item(code, status="implemented", *, required=True, evidence=(1,), **extra):
    return {
        "code": code,
        "title_ja": f"{code} の題名",
        "required": required,
        "allows_not_applicable": extra.pop("allows_not_applicable", False),
        "lower_aggregator_requirement": extra.pop("lower", False),
        "status": status,
        "implementation": extra.pop("implementation", "実施内容"),
        "justification": extra.pop("justification", ""),
        "evidence": list(evidence),
    }


def snapshot(*items, uses=False, coverage=(), evidence=()):
    return {
        "items": list(items),
        "evidence": list(evidence),
        "lower_aggregators": {"uses": uses, "aggregators": [], "coverage": list(coverage)},
    }


def test_required_item_partial_or_not_implemented_is_a_change_order_candidate():
    flags = rules.required_item_unmet(
        snapshot(item("A", "partial"), item("B", "not_implemented"), item("C"))
    )
    assert [(f.kind, f.item_code) for f in flags] == [("change_order", "A"), ("change_order", "B")]
    assert "条番号未確認" in flags[0].legal_basis
    assert not flags[0].basis_verified


def test_advisory_items_never_raise_change_order_candidates():
    data = snapshot(item("X", "not_implemented", required=False))
    assert rules.required_item_unmet(data) == []
    (flag,) = rules.advisory_item_unmet(data)
    assert (flag.kind, flag.item_code) == ("advisory", "X")


def test_not_applicable_where_not_allowed_is_a_candidate():
    (flag,) = rules.required_item_not_applicable(
        snapshot(item("A", "not_applicable", justification="不要"))
    )
    assert flag.kind == "change_order"


def test_not_applicable_without_justification_is_a_candidate_even_where_allowed():
    data = snapshot(
        item("A", "not_applicable", allows_not_applicable=True),
        item("B", "not_applicable", allows_not_applicable=True, justification="下位なし"),
    )
    assert [f.item_code for f in rules.required_item_not_applicable(data)] == ["A"]


def test_implemented_without_evidence_suggests_an_inquiry_not_a_candidate():
    data = snapshot(item("A", evidence=()), item("B"), item("C", evidence=(), required=False))
    (flag,) = rules.implemented_without_evidence(data)
    assert (flag.kind, flag.item_code) == ("inquiry", "A")


def test_lower_aggregators_not_covering_every_erab_item_make_the_filer_a_candidate():
    data = snapshot(
        item("SUP-1", lower=True),
        uses=True,
        coverage=[
            {"item": "SYS-3", "title_ja": "通信", "covered": True, "clause_reference": "3条"},
            {"item": "SYS-5", "title_ja": "アクセス制御", "covered": False, "clause_reference": ""},
        ],
        evidence=[{"id": 1, "kind": "lower_requirements", "name": "要件書.pdf"}],
    )
    (flag,) = rules.lower_requirements_insufficient(data)
    assert (flag.kind, flag.item_code) == ("change_order", "SUP-1")
    assert "SYS-5" in flag.finding and "SYS-3" not in flag.finding
    assert "最上位のアグリゲーター" in flag.legal_basis


def test_lower_aggregators_without_a_requirement_document_make_the_filer_a_candidate():
    covered = {"item": "SYS-3", "title_ja": "通信", "covered": True, "clause_reference": "3条"}
    (flag,) = rules.lower_requirements_insufficient(
        snapshot(item("SUP-1", lower=True), uses=True, coverage=[covered])
    )
    assert flag.kind == "change_order"


def test_fully_covered_lower_requirements_with_a_document_raise_nothing():
    covered = {"item": "SYS-3", "title_ja": "通信", "covered": True, "clause_reference": "3条"}
    document = {"id": 1, "kind": "lower_requirements", "name": "要件書.pdf"}
    data = snapshot(item("SUP-1", lower=True), uses=True, coverage=[covered], evidence=[document])
    assert rules.lower_requirements_insufficient(data) == []
    assert rules.lower_requirements_insufficient(snapshot(uses=False)) == []


def test_incident_with_supply_impact_is_an_improvement_order_candidate():
    flags = rules.incident_rules(supply_impact="disrupted", related=[], snapshot=None)
    assert [f.kind for f in flags] == ["improvement_order"]
    assert "業務改善命令" in flags[0].legal_basis
    assert rules.incident_rules(supply_impact="none", related=[], snapshot=None) == []


def test_incident_related_to_an_item_unmet_in_the_latest_filing_is_a_candidate():
    filed = snapshot(item("OPS-1", "partial"), item("SYS-4"))
    related = [{"code": "OPS-1", "title_ja": "媒体"}, {"code": "SYS-4", "title_ja": "マルウェア"}]
    flags = rules.incident_rules(supply_impact="none", related=related, snapshot=filed)
    assert [(f.kind, f.item_code) for f in flags] == [("improvement_order", "OPS-1")]


def test_run_filing_rules_combines_every_rule():
    data = snapshot(
        item("A", "partial"), item("B", evidence=()), item("X", "partial", required=False)
    )
    kinds = sorted(f.kind for f in rules.run_filing_rules(data))
    assert kinds == ["advisory", "change_order", "inquiry"]


def test_incident_items_justified_not_applicable_in_the_filing_raise_nothing():
    filed = snapshot(
        item("SUP-1", "not_applicable", allows_not_applicable=True, justification="下位なし"),
        item("OPS-1", ""),
    )
    related = [{"code": "SUP-1", "title_ja": "下位"}, {"code": "OPS-1", "title_ja": "媒体"}]
    flags = rules.incident_rules(supply_impact="none", related=related, snapshot=filed)
    assert [f.item_code for f in flags] == ["OPS-1"]  # unanswered counts as insufficient


def test_advisory_item_not_applicable_where_not_allowed_gets_an_advisory_note():
    data = snapshot(item("EXT-1", "not_applicable", required=False))
    assert [f.kind for f in rules.advisory_item_unmet(data)] == ["advisory"]
