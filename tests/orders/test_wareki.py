from datetime import date

import pytest

from orders.wareki import era_year, wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 3), "令和8年12月3日"),
        (date(2019, 5, 1), "令和元年5月1日"),  # the first day of 令和: 元年, never 1年
        (date(2019, 4, 30), "平成31年4月30日"),  # the day before stays in 平成
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1873, 1, 1), "明治6年1月1日"),
        (date(2024, 2, 29), "令和6年2月29日"),
    ],
)
def test_wareki_at_each_era_boundary(day, expected):
    assert wareki(day) == expected


def test_before_the_solar_calendar_is_refused():
    with pytest.raises(ValueError):
        era_year(date(1872, 12, 31))
