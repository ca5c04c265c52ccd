"""Sections the cadres app adds to shared pages (governance/hooks.py). Bounded queries each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cadres.models import ReserveQuota, probation_overdue_q
from cadres.selectors import (
    compliance_for,
    compliance_totals,
    developments_visible_to,
    posts_visible_to,
    reserves_visible_to,
    roster_for,
    village_compliance,
)


def village_panel(*, village, user):
    """The village page: roster summary (flags, terms ending soon) and this year's reserve bench."""
    today = timezone.localdate()
    return (
        "cadres/_village_panel.html",
        {
            "village": village,
            "today": today,
            "roster": roster_for(village=village, on=today),
            "reserves": list(reserves_visible_to(user).filter(village=village, plan_year=today.year)),
            "compliance": village_compliance(
                user, village=village, year=today.year, quota=ReserveQuota.current()
            ),
        },
    )


def dashboard_panel(*, user):
    """The county dashboard: this year's 3512 compliance per township and in total."""
    year = timezone.localdate().year
    quota = ReserveQuota.current()
    townships, total = compliance_totals(compliance_for(user, year=year, quota=quota))
    return ("cadres/_dashboard_panel.html", {"year": year, "townships": townships, "total": total})


def home_panel(*, user):
    """The home page: the cadre work that needs attention in the user's jurisdiction (4 counts)."""
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    quota = ReserveQuota.current()
    _townships, total = compliance_totals(compliance_for(user, year=today.year, quota=quota))
    context = {
        "year": today.year,
        "ending_soon": posts_visible_to(user)
        .filter(end_date__isnull=True, term_end__gte=today, term_end__lte=today + dt.timedelta(days=90))
        .count(),
        "overdue": developments_visible_to(user).filter(probation_overdue_q(today)).count(),
        "villages": total["villages"],
        "not_met": total["villages"] - total["met"],
    }
    return ("cadres/_home_panel.html", context)
