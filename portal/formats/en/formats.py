"""English display formats (Django format module; see FORMAT_MODULE_PATH in settings).

Dates read 29 Nov 2026, date-times 29 Nov 2026 23:41 JST: the time zone name is printed because
readers of the English pages may be elsewhere. Input formats keep Django's defaults.
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i T"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i T"
