"""Display formats (portal/formats/): Japanese 2026年11月29日 23時41分, in JST, everywhere."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SAMPLE = datetime(2026, 11, 29, 14, 41, tzinfo=UTC)  # 23:41 in Tokyo


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_settings_use_tokyo_time_and_the_project_format_modules():
    assert settings.USE_TZ and settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.FORMAT_MODULE_PATH == ["portal.formats"]


def test_japanese_formats():
    with translation.override("ja"):
        assert formats.get_format("DATE_FORMAT") == "Y年n月j日"
        assert formats.get_format("DATETIME_FORMAT") == "Y年n月j日 H時i分"
        assert formats.date_format(SAMPLE, "SHORT_DATETIME_FORMAT") == "2026年11月29日 14時41分"
        assert formats.date_format(date(2026, 1, 5), "SHORT_DATE_FORMAT") == "2026年1月5日"
        # Input formats are Django's: date inputs still read 2026-11-29.
        assert "%Y-%m-%d" in formats.get_format("DATE_INPUT_FORMATS")


def test_template_values_and_the_date_filter_render_in_jst_japanese_style():
    morning = datetime(2026, 11, 29, 0, 5, tzinfo=UTC)  # 09:05 in Tokyo
    with translation.override("ja"):
        assert render("{{ when }}", when=SAMPLE) == "2026年11月29日 23時41分"
        assert render("{{ when }}", when=morning) == "2026年11月29日 09時05分"
        assert render('{{ when|date:"DATETIME_FORMAT" }}', when=SAMPLE) == "2026年11月29日 23時41分"
        assert render("{{ when|date }}", when=SAMPLE) == "2026年11月29日"
        assert render("{{ day }}", day=date(2027, 3, 31)) == "2027年3月31日"
        assert render("{{ when|time }}", when=morning) == "09時05分"


def test_english_formats():
    with translation.override("en"):
        assert render("{{ when }}", when=SAMPLE) == "29 Nov 2026 23:41 JST"
        assert render("{{ day|date }}", day=date(2027, 3, 31)) == "31 Mar 2027"


def test_no_template_hard_codes_a_date_format():
    """|date and |time take a format name (or none), so the language's format applies."""
    hard_coded = re.compile(r'\|(?:date|time):"(?![A-Z_]+_FORMAT")[^"]*"')
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group()}"
        for path in TEMPLATES.rglob("*.html")
        for match in hard_coded.finditer(path.read_text())
    ]
    assert offenders == []
