"""Sections of shared pages (governance/hooks.py): village page, home page, county dashboard."""

from __future__ import annotations

from django.utils import timezone

from governance.roles import Role
from supervision import selectors
from supervision.models import Kind, ReportingPolicy

HOME_LIMIT = 30


def village_panel(*, village, user):
    """The village's recent reports and its open rectification items (two queries)."""
    return (
        "supervision/_village_panel.html",
        {
            "reports": list(selectors.recent_reports_for_village(village)),
            "open_items": list(selectors.open_items_for_village(village)),
            "village": village,
        },
    )


def home_panel(*, user):
    """The same due/overdue list ``send_reminders`` e-mails to this user (one query per period)."""
    if user.role not in (Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL):
        return None
    policy = ReportingPolicy.current()
    items = selectors.due_reports_for(user, today=timezone.localdate(), limit=HOME_LIMIT + 1, policy=policy)
    return (
        "supervision/_home_panel.html",
        {
            "items": items[:HOME_LIMIT],
            "more": len(items) > HOME_LIMIT,
            "escalation": user.role == Role.COUNTY_OFFICIAL,
            "returned": selectors.returned_reports_for(user) if user.role == Role.TOWNSHIP_STAFF else [],
            "escalate_days": policy.escalate_after_days,
        },
    )


def dashboard_panel(*, user):
    """County completeness and timeliness of the latest monthly period (one query)."""
    year, month = selectors.latest_due_month(timezone.localdate())
    period = selectors.period_get(Kind.MONTHLY, year, month)
    rows, total = selectors.completeness_table(user=user, period=period)
    return ("supervision/_dashboard_panel.html", {"period": period, "rows": rows, "total": total})
