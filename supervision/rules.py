"""Plausibility rules of supervision records, in one place (issue [6/10]).

Services apply them (so the admin, demo data and any other caller are held to them too) and forms
call the same functions so the error appears next to its field. Messages are Chinese msgids.

Rules:

- A rectification's 发现日期 is not before the start of the report's period, nor before the
  village existed (``valid_from``), and not after today.
- Its 整改期限 is not before its 发现日期, and not more than ``MAX_DEADLINE_YEARS`` years after it
  (a deadline of 2126 is a typing slip, not a plan).
- A report is not submitted entirely empty (all five areas and the summary blank).
- A period's report is not submitted before the period has ended (the first instant after its last
  day, Beijing time) unless it is marked early with a reason (``Report.early_reason``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from supervision.models import AREA_FIELDS, local_day_end

MAX_DEADLINE_YEARS = 5

FOUND_BEFORE_PERIOD = gettext_noop("发现日期不能早于本期开始日期（%(start)s）。")
FOUND_BEFORE_VILLAGE = gettext_noop("发现日期不能早于本村设立日期（%(start)s）。")
FOUND_IN_FUTURE = gettext_noop("发现日期不能晚于今天。")
DEADLINE_BEFORE_FINDING = gettext_noop("整改期限不能早于发现日期。")
DEADLINE_TOO_FAR = gettext_noop("整改期限不能晚于发现日期后 %(years)s 年（%(latest)s）。")
EMPTY_REPORT = gettext_noop("报告内容全部为空，不能提交：请至少填写一项监督情况或总体情况。")
EARLY_REASON_REQUIRED = gettext_noop("%(period)s到 %(end)s 才结束，现在提交须填写提前提交的原因。")
EARLY_HELP = gettext_noop("本期结束（%(end)s）之前提交时必填，例如“村委会换届前提前报送”。")

REPORT_TEXT_FIELDS = [*AREA_FIELDS.values(), "summary"]


def found_on_earliest(*, report) -> tuple[dt.date, str]:
    """The earliest plausible 发现日期 for an item of ``report`` and the message naming it."""
    start = report.period.start
    valid_from = getattr(report.village, "valid_from", None)
    if valid_from and valid_from > start:
        return valid_from, FOUND_BEFORE_VILLAGE
    return start, FOUND_BEFORE_PERIOD


def deadline_latest(found_on: dt.date) -> dt.date:
    try:
        return found_on.replace(year=found_on.year + MAX_DEADLINE_YEARS)
    except ValueError:  # 29 February
        return found_on.replace(year=found_on.year + MAX_DEADLINE_YEARS, day=28)


def rectification_date_errors(
    *, report, found_on: dt.date | None, deadline: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    """Errors by field for the dates of an item found in ``report``; empty when plausible."""
    errors: dict[str, list[str]] = {}
    if found_on is not None:
        earliest, message = found_on_earliest(report=report)
        if found_on < earliest:
            errors["found_on"] = [_(message) % {"start": earliest.isoformat()}]
        elif found_on > today:
            errors["found_on"] = [_(FOUND_IN_FUTURE)]
    if found_on is not None and deadline is not None:
        if deadline < found_on:
            errors["deadline"] = [_(DEADLINE_BEFORE_FINDING)]
        elif deadline > deadline_latest(found_on):
            latest = deadline_latest(found_on).isoformat()
            errors["deadline"] = [_(DEADLINE_TOO_FAR) % {"years": MAX_DEADLINE_YEARS, "latest": latest}]
    return errors


def is_empty(values: dict) -> bool:
    """True when every findings area and the summary are blank (whitespace counts as blank)."""
    return not any((values.get(field) or "").strip() for field in REPORT_TEXT_FIELDS)


def report_is_empty(report) -> bool:
    return is_empty({field: getattr(report, field) for field in REPORT_TEXT_FIELDS})


def period_ends_at(period) -> dt.datetime:
    """The first instant after the period's last day in Beijing time."""
    return local_day_end(period.end)


def is_early(period, now: dt.datetime) -> bool:
    """Submitting at ``now`` is before the period has ended."""
    return now < period_ends_at(period)


def early_reason_error(*, period, now: dt.datetime, reason: str) -> str | None:
    if is_early(period, now) and not (reason or "").strip():
        return _(EARLY_REASON_REQUIRED) % {"period": period.label, "end": period.end.isoformat()}
    return None


def early_help(period) -> str:
    return _(EARLY_HELP) % {"end": period.end.isoformat()}
