"""Sections of shared pages (governance/hooks.py): the village page, the public board, the dashboard."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts import selectors
from compacts.filters import NOT_REVISED, REVISED
from compacts.models import Kind
from governance.charts import level, percent_chart, rank_rows, township_table
from governance.privacy import redact_personal
from governance.roles import Role, may_write_for


def _current(village) -> list[dict]:
    current = selectors.current_versions(village)
    return [{"kind": kind, "version": current.get(kind)} for kind in Kind]


def village_panel(*, village, user):
    """The village's current 村规民约 and 文明公约 with their dates and a link (one query)."""
    context = {
        "village": village,
        "rows": _current(village),
        "may_edit": may_write_for(user, village.township_id),
    }
    return ("compacts/_village_panel.html", context)


def public_panel(*, village):
    """The current text of each kind and its adopted date, for a visitor without login: no names
    of recorders, the text with any ID or phone number blanked (one query)."""
    rows = [
        {
            "label": row["kind"].label,
            "adopted_on": row["version"].adopted_on,
            "text": redact_personal(row["version"].text),
        }
        for row in _current(village)
        if row["version"] is not None
    ]
    if not rows:
        return None
    return ("compacts/_public_panel.html", {"rows": rows})


# Share of a township's villages that revised a compact since 1 January: a county's yearly review,
# not a rule; below half red, below 80% amber, so the townships still to do it stand out.
REVISED_BAD_BELOW = 50
REVISED_WARN_BELOW = 80


def dashboard_panel(*, user, period=None):
    """Per township: villages that adopted a new 村规民约 or 文明公约 version since 1 January of the
    period's year, lowest share first; each figure opens the filtered village list (one query)."""
    year = period.year if period else timezone.localdate().year
    since = dt.date(year, 1, 1)
    rows = selectors.revisions_by_township(user, since=since)
    for row in rows:
        row.missing = row.villages - row.revised
        row.level = level(row.percent, bad=REVISED_BAD_BELOW, warn=REVISED_WARN_BELOW)
    base = reverse("compacts:index")

    def link(row):
        query = {"township": row.township.code, "since": since.isoformat()}
        row.href = f"{base}?{urlencode(query)}"
        row.revised_href = f"{base}?{urlencode({**query, 'status': REVISED})}"
        row.missing_href = f"{base}?{urlencode({**query, 'status': NOT_REVISED})}"

    many_counties = user.role == Role.ADMIN or user.is_superuser
    rows, shown = rank_rows(
        rows, key=lambda r: r.percent, name=lambda r: r.township.code, many_counties=many_counties, link=link
    )
    chart = percent_chart(
        _("%(year)s年以来修订村规民约或文明公约的村占比") % {"year": year},
        shown,
        label=lambda r: r.township.name,
        value=lambda r: r.percent,
        href=lambda r: r.revised_href,
        css=lambda r: r.level,
        thresholds=(REVISED_BAD_BELOW, REVISED_WARN_BELOW),
    )
    tables = [
        township_table(
            _("村规民约修订"),
            [_("乡镇（街道）"), _("村（社区）数"), _("已修订"), _("未修订"), _("修订率")],
            rows,
            cells=lambda r: [
                r.township.name,
                r.villages,
                r.revised,
                r.missing,
                "" if r.percent is None else f"{r.percent}%",
            ],
            many_counties=many_counties,
            county=lambda r: r.township.county.name,
        )
    ]
    context = {
        "year": year,
        "since": since,
        "rows": shown,
        "row_total": len(rows),
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
    }
    return ("compacts/_dashboard_panel.html", context)
