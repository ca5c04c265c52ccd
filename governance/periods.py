"""The period a dashboard or grid shows, as the URL says it: ``?period=2026-10`` (a month),
``2026-Q3`` (a quarter) or ``2026`` (a year). Shareable: the page is the same for whoever opens the link.

The keys are those of supervision's ``ReportingPeriod.key``; governance cannot import an app, so
the parsing lives here and the apps receive a ``Period`` through their ``dashboard_panel`` hook.
An unknown or malformed key is a ``BadPeriod`` the view answers with a 400 and a sentence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.fields import year_in_range

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_KEY = re.compile(r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{1,2})|[Qq](?P<quarter>[0-9])))?")
BAD_PERIOD = _("期次“%(key)s”无法识别：请写成 2026-10（月）、2026-Q3（季度）或 2026（年）。")


class BadPeriod(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    @property
    def message(self) -> str:
        return str(BAD_PERIOD) % {"key": self.key[:40]}


@dataclass(frozen=True)
class Period:
    kind: str  # MONTH / QUARTER / YEAR
    year: int
    number: int  # month 1-12, quarter 1-4, 1 for a year

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    @property
    def start(self) -> dt.date:
        if self.kind == MONTH:
            return dt.date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = {MONTH: self.number, QUARTER: 3 * self.number, YEAR: 12}[self.kind]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return gettext("%(year)s年%(month)s月") % {"year": self.year, "month": self.number}
        if self.kind == QUARTER:
            return gettext("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.number}
        return gettext("%(year)s年度") % {"year": self.year}

    def shifted(self, step: int) -> Period:
        """The period ``step`` periods of the same kind later (earlier when negative)."""
        count = {MONTH: 12, QUARTER: 4, YEAR: 1}[self.kind]
        year, index = divmod(self.year * count + self.number - 1 + step, count)
        return Period(self.kind, year, index + 1)


def parse_period(key: str) -> Period:
    """``2026-10`` / ``2026-Q3`` / ``2026`` → a Period; ``BadPeriod`` for anything else (a month
    13, a quarter 5, a year outside the years records are kept for, trailing text)."""
    match = _KEY.fullmatch(key.strip())
    if not match:
        raise BadPeriod(key)
    year = int(match["year"])
    if match["month"] is not None:
        kind, number, limit = MONTH, int(match["month"]), 12
    elif match["quarter"] is not None:
        kind, number, limit = QUARTER, int(match["quarter"]), 4
    else:
        kind, number, limit = YEAR, 1, 1
    if not (1 <= number <= limit and year_in_range(year)):
        raise BadPeriod(key)
    return Period(kind, year, number)


def collected_month(today: dt.date) -> Period:
    """The default: the month whose report is being collected now (the previous calendar month)."""
    return Period(MONTH, today.year, today.month).shifted(-1)


def period_options(
    today: dt.date, selected: Period, years: int = 3
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Picker options grouped by kind, newest first, every period started by ``today`` in the last
    ``years`` years, plus ``selected`` if it is not among them (no query)."""
    groups = []
    for kind, label, count in ((MONTH, _("月"), 12), (QUARTER, _("季度"), 4), (YEAR, _("年"), 1)):
        options = []
        for year in range(today.year, today.year - years, -1):
            for number in range(count, 0, -1):
                period = Period(kind, year, number)
                if period.start <= today:
                    options.append((period.key, period.label))
        if selected.kind == kind and selected.key not in {key for key, _label in options}:
            options.insert(0, (selected.key, selected.label))
        groups.append((str(label), options))
    return groups


def period_select_options(today: dt.date, selected: Period) -> str:
    """The ``<optgroup>``/``<option>`` markup of ``period_options`` with ``selected`` marked, written
    here rather than by a template loop: some fifty options on every dashboard request cost more
    than the rest of the page when its figures come from the cache."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    groups = []
    for group, options in period_options(today, selected):
        rows = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if key == selected.key else "", label) for key, label in options),
        )
        groups.append(format_html('<optgroup label="{}">{}</optgroup>', group, rows))
    return mark_safe("".join(groups))  # noqa: S308 - each part went through format_html
