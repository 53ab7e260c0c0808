"""Dates kept as ISO 8601 text (the submission snapshot, the review report document), shown the
way the active language shows dates: 2026年11月29日 / 2026年11月29日 23時41分 in Japanese.

    {% load filing_dates %}
    {{ snapshot.submitted_at|snapshot_date }}
        2026-11-29T14:41:00+00:00 → 2026年11月29日 23時41分
    {{ entry.target_date|snapshot_date|default:"—" }}
        2027-03-31 → 2027年3月31日
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


def parse_iso(value) -> date | datetime | None:
    """A date or datetime from ISO text (or the object itself); None when it is neither."""
    if isinstance(value, date):  # datetime is a date too
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


@register.filter
def snapshot_date(value) -> str:
    """Format an ISO date or date-time with the active language's DATE_FORMAT / DATETIME_FORMAT.

    Aware date-times are shown in the current time zone (Asia/Tokyo); naive ones are taken to be
    in it already. Empty values give "" (chain |default:"—"); text that is not an ISO date is
    returned unchanged rather than lost.
    """
    parsed = parse_iso(value)
    if parsed is None:
        return "" if value in (None, "") else value
    if isinstance(parsed, datetime):
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return formats.date_format(parsed, "DATETIME_FORMAT")
    return formats.date_format(parsed, "DATE_FORMAT")
