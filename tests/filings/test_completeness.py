from datetime import timedelta

import pytest
from django.utils import timezone

from filings.completeness import assess
from tests.factories import add_pdf, answer_all, make_filing

pytestmark = pytest.mark.django_db


def test_an_empty_draft_is_incomplete_on_every_item(catalogue, staff):
    result = assess(make_filing(staff))
    assert len(result.incomplete) == catalogue.items.count()
    assert not result.can_submit


def test_implemented_without_description_is_incomplete(catalogue, staff):
    filing = answer_all(make_filing(staff))
    filing.answers.filter(item__code="ORG-1").update(implementation="")
    assert [text for text in assess(filing).incomplete if "ORG-1" in text]


def test_unmet_required_and_advisory_items_are_separated(catalogue, staff):
    filing = answer_all(make_filing(staff), **{"SYS-1": "partial", "EXT-1": "not_implemented"})
    result = assess(filing)
    assert result.can_submit
    assert [a.item.code for a in result.unmet] == ["SYS-1"]
    assert [a.item.code for a in result.advisory_unmet] == ["EXT-1"]


def test_not_applicable_where_the_catalogue_forbids_it_counts_as_unmet(catalogue, staff):
    filing = answer_all(
        make_filing(staff), **{"ORG-1": "not_applicable", "SUP-1": "not_applicable"}
    )
    assert [a.item.code for a in assess(filing).unmet] == ["ORG-1"]


def test_lower_aggregators_declared_without_coverage_or_documents(catalogue, staff):
    filing = answer_all(make_filing(staff, uses_lower_aggregators=True))
    result = assess(filing)
    assert any("下位アグリゲーター" in text for text in result.incomplete)
    assert len(result.uncovered) == filing.coverage.count() > 0
    assert len(result.lower_issues) == 2
    add_pdf(filing, staff)
    filing.evidence_files.update(kind="lower_requirements")
    assert len(assess(filing).lower_issues) == 1


def test_warnings_for_small_capacity_and_early_start(catalogue, staff):
    soon = timezone.localdate() + timedelta(days=10)
    filing = make_filing(staff, expected_capacity_kw=500, planned_start_date=soon)
    warnings = assess(filing).warnings
    assert len(warnings) == 2
    assert not assess(make_filing(staff)).warnings
