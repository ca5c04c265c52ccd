"""Sections the cadres app adds to shared pages (governance/hooks.py). Bounded queries each."""

from __future__ import annotations

from django.utils import timezone

from cadres.models import ReserveQuota
from cadres.selectors import compliance_for, compliance_totals, reserves_visible_to, roster_for


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
        },
    )


def dashboard_panel(*, user):
    """The county dashboard: this year's 3512 compliance per township and in total."""
    year = timezone.localdate().year
    quota = ReserveQuota.current()
    townships, total = compliance_totals(compliance_for(user, year=year, quota=quota))
    return ("cadres/_dashboard_panel.html", {"year": year, "townships": townships, "total": total})
