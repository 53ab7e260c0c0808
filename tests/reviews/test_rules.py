"""Each rule against hand-built snapshots: the rules read only the snapshot (and the incident).

The numbered situations of issue 8 each have their own test, named by the situation."""

from reviews import rules
from reviews.rules import IncidentFacts


def item(code, status="implemented", *, criterion=True, evidence=(1,), **extra):
    return {
        "code": code,
        "title_ja": f"{code} の題名",
        "criterion": criterion,
        "allows_not_applicable": extra.pop("allows_not_applicable", False),
        "lower_aggregator_requirement": extra.pop("lower", False),
        "lower_coverage": extra.pop("coverage", criterion),
        "status": status,
        "implementation": extra.pop("implementation", "実施内容"),
        "justification": extra.pop("justification", ""),
        "target_date": extra.pop("target_date", None),
        "evidence": list(evidence),
    }


def sup1(status="implemented"):
    return item("SUP-1", status, lower=True, coverage=False, allows_not_applicable=True)


REQUIREMENTS = {"id": 1, "kind": "lower_requirements", "name": "要件書.pdf"}
CONTRACT = {"id": 2, "kind": "lower_contract", "name": "契約条項.pdf"}


def snapshot(*items, uses=False, coverage=None, evidence=(), start="2027-04-01"):
    if coverage is None:  # every coverage item covered
        coverage = [{"item": e["code"], "covered": True} for e in items if e["lower_coverage"]]
    return {
        "filing": {"planned_start_date": start},
        "items": list(items),
        "evidence": list(evidence),
        "lower_aggregators": {"uses": uses, "aggregators": [], "coverage": list(coverage)},
    }


def kinds(specs):
    return sorted((spec.kind, spec.item_code) for spec in specs)


# --- at filing: criterion and reference items ------------------------------------------------
def test_criterion_item_not_or_partially_implemented_is_a_change_order_candidate():
    data = snapshot(item("A", "partial"), item("B", "not_implemented"), item("C"))
    flags = rules.run_filing_rules(data)
    assert kinds(flags) == [("change_order", "A"), ("change_order", "B")]
    assert all(flag.basis_code == rules.CHANGE_ORDER for flag in flags)


def test_criterion_item_not_applicable_where_the_catalogue_forbids_it_is_a_candidate():
    data = snapshot(
        item("A", "not_applicable", justification="理由"),
        item("B", "not_applicable", allows_not_applicable=True, justification="理由"),
    )
    assert kinds(rules.run_filing_rules(data)) == [("change_order", "A")]


def test_reference_item_unmet_is_a_reference_finding_only_and_never_asked_of_lower_tiers():
    reference = item("EXT-1", "not_implemented", criterion=False, coverage=False)
    data = snapshot(reference, item("A"), sup1(), uses=True, evidence=[REQUIREMENTS, CONTRACT])
    flags = rules.run_filing_rules(data)
    assert kinds(flags) == [("reference", "EXT-1")]
    assert flags[0].basis_code == rules.REFERENCE_ITEM


def test_criterion_item_implemented_without_evidence_is_an_inquiry_candidate():
    data = snapshot(item("A", evidence=()), item("B"), item("C", evidence=(), criterion=False))
    assert kinds(rules.run_filing_rules(data)) == [("inquiry_candidate", "A")]


def test_fix_due_after_the_planned_business_start_is_an_inquiry_candidate_on_that_item():
    data = snapshot(
        item("A", "partial", target_date="2027-05-01"),
        item("B", "partial", target_date="2027-03-01"),
        start="2027-04-01",
    )
    flags = rules.target_date_after_start(data)
    assert kinds(flags) == [("inquiry_candidate", "A")]
    assert "2027" in flags[0].finding and "2027-05-01" not in flags[0].finding


# --- at filing: lower-level aggregators --------------------------------------------------------
def lower_snapshot(*, sup1_status="implemented", evidence=(REQUIREMENTS, CONTRACT), **kw):
    return snapshot(
        item("SYS-3"), item("INC-3"), sup1(sup1_status), uses=True, evidence=evidence, **kw
    )


def test_lower_tiers_with_requirement_document_contract_clause_and_full_coverage_raise_no_flag():
    assert rules.run_filing_rules(lower_snapshot()) == []


def test_lower_tiers_without_contract_clause_make_the_top_level_a_change_order_candidate():
    flags = rules.run_filing_rules(lower_snapshot(evidence=[REQUIREMENTS]))
    assert kinds(flags) == [("change_order", "SUP-1")]
    assert "契約" in flags[0].finding or "contract" in flags[0].finding
    assert flags[0].rule == "lower_requirements_insufficient"


def test_lower_tiers_with_one_coverage_item_uncovered_name_that_item_in_a_candidate():
    coverage = [{"item": "SYS-3", "covered": True}, {"item": "INC-3", "covered": False}]
    flags = rules.run_filing_rules(lower_snapshot(coverage=coverage))
    assert kinds(flags) == [("change_order", "SUP-1")]
    assert "INC-3" in flags[0].finding and "SYS-3" not in flags[0].finding


def test_coverage_item_missing_from_the_filed_coverage_counts_as_uncovered():
    flags = rules.run_filing_rules(lower_snapshot(coverage=[{"item": "SYS-3", "covered": True}]))
    assert ["INC-3" in flag.finding for flag in flags] == [True]


def test_lower_tiers_used_and_requirement_item_not_applicable_is_a_change_order_candidate():
    flags = rules.run_filing_rules(lower_snapshot(sup1_status="not_applicable"))
    assert kinds(flags) == [("change_order", "SUP-1")]


def test_no_lower_tiers_and_requirement_item_not_applicable_raises_no_flag():
    data = snapshot(item("SYS-3"), sup1("not_applicable"), uses=False, evidence=[])
    assert rules.run_filing_rules(data) == []


# --- during operation ----------------------------------------------------------------------
def facts(impact="disrupted", *, related=("SYS-3",), location="own", name=""):
    return IncidentFacts(
        supply_impact=impact,
        location=location,
        lower_aggregator_name=name,
        related=[{"code": code, "title_ja": f"{code} の題名"} for code in related],
    )


FILED = snapshot(item("SYS-3", "partial"), item("INC-3"), item("EXT-2", "partial", criterion=False))


def test_incident_with_supply_disrupted_or_at_risk_is_an_improvement_order_candidate():
    for impact in ("disrupted", "at_risk"):
        (flag,) = rules.run_incident_rules(facts(impact, related=("SYS-3", "INC-3")), FILED)
        assert flag.kind == "improvement_order"
        assert "SYS-3" in flag.finding and "INC-3" not in flag.finding  # unmet facts only
        assert "因果" in flag.finding or "caused" in flag.finding
        assert flag.basis_code == rules.IMPROVEMENT_ORDER


def test_incident_without_supply_impact_is_no_order_candidate_but_asks_about_unmet_items():
    flags = rules.run_incident_rules(facts("none", related=("SYS-3", "INC-3", "EXT-2")), FILED)
    assert kinds(flags) == [("inquiry_candidate", "SYS-3")]


def test_incident_without_supply_impact_or_unmet_items_raises_nothing():
    assert rules.run_incident_rules(facts("none", related=("INC-3",)), FILED) == []


def test_incident_of_a_company_with_no_filing_on_record_is_an_inquiry_candidate():
    assert kinds(rules.run_incident_rules(facts("none"), None)) == [("inquiry_candidate", "")]
    with_impact = rules.run_incident_rules(facts("at_risk"), None)
    assert sorted(spec.kind for spec in with_impact) == ["improvement_order", "inquiry_candidate"]


def test_incident_at_a_lower_tier_with_supply_impact_is_a_candidate_against_the_top_level():
    (flag,) = rules.run_incident_rules(facts(location="lower", name="下位株式会社"), FILED)
    assert (flag.kind, flag.rule) == ("improvement_order", "incident_at_lower_aggregator")
    assert "下位株式会社" in flag.finding


def test_format_1_snapshots_calling_criteria_required_are_still_read():
    old = {**item("SYS-3", "partial"), "required": True}
    del old["criterion"]
    assert kinds(rules.run_incident_rules(facts("none"), snapshot(old))) == [
        ("inquiry_candidate", "SYS-3")
    ]
