"""The rules of a branch's period and season (DESIGN §3), in one place for forms, services,
filters and pages.

Seasons are months of every year, both inclusive: May-July is active in May, June and July. A
season may cross the year end (November-February, say for a migrant-worker branch over the winter
return), but only when the branch says so (``season_crosses_year``): a season whose end month comes
before its start month without it is "a season that ends before it starts", a typing mistake
refused with a message, exactly as a branch whose end date precedes its start date. The database
holds the same rules as check constraints (``villages.PartyBranch.Meta``).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SEASON_INCOMPLETE = _("活动季节须同时填写起始月份和结束月份。")
SEASON_ENDS_BEFORE_START = _("活动结束月份早于起始月份：如活动季节跨年，请勾选“跨年”。")
SEASON_DOES_NOT_CROSS = _("起始月份至结束月份在同一年内，不应勾选“跨年”。")
SEASON_REQUIRED = _("虫草山流动党支部须填写活动季节。")
PERIOD_ENDS_BEFORE_START = _("撤销日期不能早于成立日期。")
MONTH_OUT_OF_RANGE = _("月份须在1至12之间。")


def season_contains(start_month: int | None, end_month: int | None, month: int) -> bool:
    """Whether ``month`` (1-12) is in the season; no season means every month."""
    if start_month is None or end_month is None:
        return True
    if start_month <= end_month:
        return start_month <= month <= end_month
    return month >= start_month or month <= end_month  # crosses the year end


def season_errors(
    *, kind: str, start_month: int | None, end_month: int | None, crosses_year: bool
) -> dict[str, list]:
    """Field errors of a season as typed (empty when it is acceptable)."""
    from villages.models import PartyBranch

    errors: dict[str, list] = {}
    for field, value in (("season_start_month", start_month), ("season_end_month", end_month)):
        if value is not None and not 1 <= value <= 12:
            errors.setdefault(field, []).append(MONTH_OUT_OF_RANGE)
    if errors:
        return errors
    if (start_month is None) != (end_month is None):
        missing = "season_end_month" if end_month is None else "season_start_month"
        errors[missing] = [SEASON_INCOMPLETE]
    elif start_month is None:
        if kind == PartyBranch.Kind.SEASONAL_MOBILE:
            errors["season_start_month"] = [SEASON_REQUIRED]
        if crosses_year:
            errors["season_crosses_year"] = [SEASON_INCOMPLETE]
    elif end_month < start_month and not crosses_year:
        errors["season_end_month"] = [SEASON_ENDS_BEFORE_START]
    elif end_month >= start_month and crosses_year:
        errors["season_crosses_year"] = [SEASON_DOES_NOT_CROSS]
    return errors


def period_errors(*, start_date: dt.date | None, end_date: dt.date | None) -> dict[str, list]:
    if start_date and end_date and end_date < start_date:
        return {"end_date": [PERIOD_ENDS_BEFORE_START]}
    return {}


def check_branch(branch) -> None:
    """Raise the season and period errors of ``branch`` (as the services save it)."""
    errors = {
        **season_errors(
            kind=branch.kind,
            start_month=branch.season_start_month,
            end_month=branch.season_end_month,
            crosses_year=branch.season_crosses_year,
        ),
        **period_errors(start_date=branch.start_date, end_date=branch.end_date),
    }
    if errors:
        raise ValidationError(errors)


def active_on(branch, day: dt.date) -> bool:
    """Whether ``branch`` is active on ``day``: within its dates and in its season."""
    if branch.start_date and day < branch.start_date:
        return False
    if branch.end_date and day > branch.end_date:
        return False
    return season_contains(branch.season_start_month, branch.season_end_month, day.month)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _in_season_q(month: int) -> Q:
    return (
        Q(season_start_month__isnull=True)
        | Q(season_crosses_year=False, season_start_month__lte=month, season_end_month__gte=month)
        | (Q(season_crosses_year=True) & (Q(season_start_month__lte=month) | Q(season_end_month__gte=month)))
    )


def _dates_overlap_q(first: dt.date, last: dt.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=last)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )


def active_in_month_q(year: int, month: int) -> Q:
    """Branches active at some time in the month: their dates overlap it and it is in their season
    (the rule of ``active_on`` and ``season_contains``, in SQL, for the list filter)."""
    first, last = month_bounds(year, month)
    return _dates_overlap_q(first, last) & _in_season_q(month)


def active_on_q(day: dt.date) -> Q:
    """Branches active on ``day`` (the SQL form of ``active_on``)."""
    return _dates_overlap_q(day, day) & _in_season_q(day.month)
