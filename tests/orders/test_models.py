from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from orders.models import Notice, format_document_number
from orders.models.authority import validate_number_format
from tests.orders import steps


def test_the_default_number_format():
    assert format_document_number("{YYYYMMDD}資第{n}号", day=date(2026, 12, 3), number=7) == (
        "20261203資第7号"
    )


def test_a_format_per_authority_with_the_era_year():
    text = format_document_number("20資電第{ERA_YEAR}-{n}号", day=date(2026, 4, 1), number=12)
    assert text == "20資電第8-12号"


@pytest.mark.parametrize("bad", ["{YYYY}資第号", "{YYYY}{x}第{n}号"])
def test_a_format_without_the_sequence_or_with_unknown_placeholders_is_refused(bad):
    with pytest.raises(ValidationError):
        validate_number_format(bad)


@pytest.mark.django_db
def test_the_database_refuses_a_document_number_twice(case, reviewer, lead):
    notice = steps.issue_procedure_notice(case, reviewer, lead)
    closing = Notice(
        case=case,
        kind="closing_notice",
        disposition="x",
        drafted_by=reviewer,
        status="issued",
        authority=notice.authority,
        document_number=notice.document_number,
        issued_at=notice.issued_at,
        issued_on=notice.issued_on,
        delivery="paper",
    )
    with pytest.raises(IntegrityError):
        closing.save()
