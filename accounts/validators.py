from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号: weights 1 and 2 alternate from the rightmost of the 12 digits."""
    total = sum(
        int(digit) * (1 if index % 2 == 0 else 2) for index, digit in enumerate(reversed(base12))
    )
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("A corporate number (法人番号) is 13 half-width digits."), code="format"
        )
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _("This corporate number (法人番号) is not valid: its check digit does not match."),
            code="check_digit",
        )
