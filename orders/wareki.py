"""和暦 (Japanese era) dates for formal notices: a small era table, tested at every boundary.

The first year of an era is 元年, never 1年. Each era starts on its first day (令和: 2019-05-01);
the day before belongs to the previous era. Dates before 明治6年 (the solar calendar) are refused.
"""

from datetime import date

# (first day, name), newest first.
ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1873, 1, 1), "明治"),  # the Gregorian calendar in Japan from 明治6年1月1日
)
MEIJI_OFFSET = 5  # 明治 counted from 1868; the table starts at its sixth year


def era_year(day: date) -> tuple[str, int]:
    """The era name and the year within it (1 for the first year)."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return name, year + (MEIJI_OFFSET if name == "明治" else 0)
    raise ValueError(f"No era for {day.isoformat()} (before 1873-01-01)")


def era_year_text(day: date) -> str:
    name, year = era_year(day)
    return f"{name}{'元' if year == 1 else year}年"


def wareki(day: date) -> str:
    """令和8年12月3日; 令和元年5月1日."""
    return f"{era_year_text(day)}{day.month}月{day.day}日"
