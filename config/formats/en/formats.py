"""The product's one date format, for every page, e-mail, letter and PDF (issue 18).

Django's English locale would otherwise win over the settings of the same names (and mixes
"Dec. 1, 2026, 3:21 a.m." with "12/01/2026"). Machine contexts keep ISO: <input type=date>
values and the CSV export. config/dates.py formats the same way from Python.
"""

DATE_FORMAT = "M j, Y"  # Dec 1, 2026
DATETIME_FORMAT = "M j, Y, g:i A"  # Dec 1, 2026, 3:21 PM
TIME_FORMAT = "g:i A"  # 3:21 PM
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
