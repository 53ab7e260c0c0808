"""A filing moved to a new catalogue version is reviewed against that version; a change
notification across versions lists its answers through the mapping."""

import pytest

from accounts.models import Role
from filings import services
from filings.changes import change_notification_changes
from tests.factories import add_pdf, answer_all, make_filing, make_submitted, published_revision

pytestmark = pytest.mark.django_db


def confirm_all(filing, actor):
    ids = list(filing.answers.exclude(carry_state="").values_list("item_id", flat=True))
    services.confirm_carried_answers(filing=filing, actor=actor, item_ids=ids)


def test_the_review_flags_only_what_the_new_version_makes_unmet(catalogue, users, staff, officer):
    # On 2026.1: INC-4 partial (merged away) and EXT-12 not implemented (removed in 2027.1).
    filing = answer_all(make_filing(staff), **{"INC-4": "partial", "EXT-12": "not_implemented"})
    add_pdf(filing, staff, "全体.pdf", filing.answers.all())
    published_revision(catalogue, users[Role.ADMIN])
    services.move_filing(filing=filing, actor=staff)
    answer_all(filing, **{"SYS-7": "not_implemented"})  # the new item, not yet done
    add_pdf(filing, staff, "新版.pdf", filing.answers.all())
    confirm_all(filing, officer)
    services.submit_filing(filing=filing, actor=officer)
    flags = {(flag.rule, flag.item_code) for flag in filing.review.flags.all()}
    assert flags == {("criterion_item_unmet", "SYS-7")}


def test_a_change_notification_across_versions_shows_the_mapping(catalogue, users, officer):
    original = make_submitted(officer)
    published_revision(catalogue, users[Role.ADMIN])
    draft = services.start_change_notification(filing=original, actor=officer)
    assert draft.catalogue == catalogue  # stays on its version until moved
    services.move_filing(filing=draft, actor=officer)
    draft.refresh_from_db()
    result = change_notification_changes(draft, officer)
    assert result is not None
    _old, _new, changes = result
    by_code = {change.code: change for change in changes.items}
    assert by_code["SYS-3"].relation == "reworded" and by_code["SYS-3"].fields == ()
    assert by_code["SYS-6"].relation == "split" and by_code["SYS-6"].old_codes == ("SYS-2",)
    assert by_code["INC-3"].old_codes == ("INC-3", "INC-4")
    assert by_code["SYS-7"].change == "added"
    assert by_code["EXT-12"].change == "removed" and by_code["EXT-12"].relation == "removed"
    assert "ORG-1" not in by_code  # the same item, the same answer: not a change
    assert "INC-4" not in by_code  # merged, not "removed"
