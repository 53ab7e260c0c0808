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


def test_unmet_criterion_and_reference_items_are_separated(catalogue, staff):
    filing = answer_all(make_filing(staff), **{"SYS-1": "partial", "EXT-1": "not_implemented"})
    result = assess(filing)
    assert result.can_submit
    assert [a.item.code for a in result.unmet] == ["SYS-1"]
    assert [a.item.code for a in result.reference_unmet] == ["EXT-1"]


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


def test_warnings_for_small_capacity_and_early_start_say_they_are_to_be_confirmed(catalogue, staff):
    soon = timezone.localdate() + timedelta(days=10)
    filing = make_filing(staff, expected_capacity_kw=500, planned_start_date=soon)
    warnings = assess(filing).warnings
    assert len(warnings) == 2
    assert all("要確認" in text or "to be confirmed" in text for text in warnings)
    assert not assess(make_filing(staff)).warnings


@pytest.mark.parametrize(("days", "warned"), [(30, True), (31, False)])
def test_business_may_start_on_day_31_the_first_day_not_counted(catalogue, staff, days, warned):
    start = timezone.localdate() + timedelta(days=days)
    warnings = assess(make_filing(staff, planned_start_date=start)).warnings
    assert bool(warnings) is warned


def test_a_fix_due_after_the_planned_start_is_warned_on_that_item(catalogue, staff):
    start = timezone.localdate() + timedelta(days=60)
    filing = answer_all(make_filing(staff, planned_start_date=start), **{"SYS-1": "partial"})
    filing.answers.filter(item__code="SYS-1").update(target_date=start + timedelta(days=1))
    result = assess(filing)
    assert [a.item.code for a in result.late_fixes] == ["SYS-1"]
    assert any("SYS-1" in text for text in result.warnings)


def test_lower_tiers_used_make_not_applicable_on_the_requirement_item_an_issue(catalogue, staff):
    filing = answer_all(
        make_filing(staff, uses_lower_aggregators=True), **{"SUP-1": "not_applicable"}
    )
    assert len(assess(filing).lower_issues) == 3


def test_the_list_the_home_page_and_the_sections_count_only_complete_answers(catalogue, staff):
    from filings.completeness import section_progress
    from filings.models import Filing
    from reviews.inbox import tasks_for

    filing = answer_all(make_filing(staff))
    filing.answers.filter(item__code="ORG-1").update(implementation="")  # 実施済, no text
    filing.answers.filter(item__code="ORG-2").update(status="partial", target_date=None)
    filing.answers.filter(item__code="ORG-3").update(status="")
    complete = catalogue.items.count() - 3
    assert sum(section.answered for section in section_progress(filing)) == complete
    assert sum(section.incomplete for section in section_progress(filing)) == 2
    assert Filing.objects.with_progress().get(pk=filing.pk).answered_count == complete
    assert tasks_for(staff).drafts[0].answered == complete
    assert len(assess(filing).incomplete) == 3
    assert assess(filing).incomplete[0].url.endswith("#item-ORG-1")
