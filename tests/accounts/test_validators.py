import pytest
from django.core.exceptions import ValidationError

from accounts.validators import corporate_number_check_digit, validate_corporate_number


def test_check_digit_matches_the_national_tax_agency_number():
    # 国税庁's own corporate number is 7000012050002.
    assert corporate_number_check_digit("000012050002") == 7


def test_valid_corporate_number_passes():
    validate_corporate_number("7000012050002")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("8000012050002", "check_digit"),
        ("700001205000", "format"),
        ("70000120500021", "format"),
        ("7000O12050002", "format"),
        ("７０００１２０５０００２", "format"),
    ],
)
def test_invalid_corporate_number_is_rejected_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(value)
    assert error.value.code == code
