"""The snapshot_date filter: ISO text from the snapshot, shown in JST in the language's style."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from filings.templatetags.filing_dates import parse_iso, snapshot_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-29T14:41:00+00:00", "2026年11月29日 23時41分"),  # UTC → JST
        ("2026-11-29T15:30:00Z", "2026年11月30日 00時30分"),  # crosses midnight in Tokyo
        ("2026-11-29T09:05:00+09:00", "2026年11月29日 09時05分"),  # two-digit hour and minute
        ("2026-11-29T09:05:00.123456+09:00", "2026年11月29日 09時05分"),
        ("2026-11-29T23:41:00", "2026年11月29日 23時41分"),  # naive: already local
        ("2027-03-31", "2027年3月31日"),
        ("2027-01-05", "2027年1月5日"),
        (date(2027, 1, 5), "2027年1月5日"),
        (datetime(2026, 11, 29, 14, 41, tzinfo=UTC), "2026年11月29日 23時41分"),
        (None, ""),
        ("", ""),
        ("not a date", "not a date"),
        ("2026-13-40", "2026-13-40"),
    ],
)
def test_snapshot_date_in_japanese(value, expected):
    with translation.override("ja"):
        assert snapshot_date(value) == expected


def test_snapshot_date_in_english_names_the_time_zone():
    with translation.override("en"):
        assert snapshot_date("2026-11-29T14:41:00+00:00") == "29 Nov 2026 23:41 JST"
        assert snapshot_date("2027-03-31") == "31 Mar 2027"


def test_snapshot_date_follows_the_current_time_zone():
    with translation.override("ja"), timezone.override(ZoneInfo("UTC")):
        assert snapshot_date("2026-11-29T23:41:00+09:00") == "2026年11月29日 14時41分"


def test_parse_iso_tells_dates_from_date_times():
    assert parse_iso("2027-03-31") == date(2027, 3, 31)
    assert parse_iso("2026-11-29T14:41:00+00:00") == datetime(2026, 11, 29, 14, 41, tzinfo=UTC)
    assert parse_iso("31/03/2027") is None
    assert parse_iso(42) is None


def test_the_filter_in_a_template_chains_with_default():
    template = Template(
        '{% load filing_dates %}{{ a|snapshot_date }}|{{ b|snapshot_date|default:"—" }}'
    )
    with translation.override("ja"):
        rendered = template.render(Context({"a": "2026-11-29T14:41:00+00:00", "b": None}))
    assert rendered == "2026年11月29日 23時41分|—"
