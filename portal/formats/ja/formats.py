"""Japanese display formats (Django format module; see FORMAT_MODULE_PATH in settings).

Dates read 2026年11月29日, date-times 2026年11月29日 23時41分 (hours and minutes always two digits:
09時05分).
Times are shown in the current time zone, Asia/Tokyo unless activated otherwise. Input formats are
not set here: Django's defaults (2026-11-29 and the like) still apply to form input.
"""

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H時i分"
DATETIME_FORMAT = "Y年n月j日 H時i分"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H時i分"
