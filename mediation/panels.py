"""Sections of shared pages (governance/hooks.py): the village page, the home page, the dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.charts import level, percent_chart, rank_rows, township_table
from governance.roles import Role
from mediation import selectors
from mediation.models import Dispute, Outcome

# Resolution rate colours on the dashboard (percent): below 60 red, below 80 amber. Any dispute
# open for more than 30 days is red.
RATE_BAD_BELOW = 60
RATE_WARN_BELOW = 80
HOME_ROWS = 10


def village_panel(*, village, user):
    """The village's committee (chair, members) and its open disputes (two queries)."""
    current, _former = selectors.committee_members(village)
    open_disputes = list(
        Dispute.objects.filter(village=village, outcome=Outcome.OPEN)
        .select_related("mediator__person")
        .order_by("received_on", "pk")
    )
    for dispute in open_disputes:
        dispute.is_old = selectors.is_old_open(dispute)
    context = {
        "village": village,
        "chair": next((m for m in current if m.is_chair), None),
        "members": current,
        "open_disputes": open_disputes[:HOME_ROWS],
        "open_count": len(open_disputes),
        "list_url": reverse("mediation:dispute_list")
        + "?"
        + urlencode({"township": village.township.code, "village": village.code, "outcome": Outcome.OPEN}),
    }
    return ("mediation/_village_panel.html", context)


def home_panel(*, user):
    """Disputes still being mediated more than 30 days after they were received, oldest first
    (order 50, after supervision, decisions and cadres): two queries."""
    if not user.is_authenticated:
        return None
    old = selectors.disputes_visible_to(user).filter(selectors.old_open_q()).order_by("received_on", "pk")
    rows = list(old[:HOME_ROWS])
    count = len(rows) if len(rows) < HOME_ROWS else old.count()
    today = timezone.localdate()
    for dispute in rows:
        dispute.age = (today - dispute.received_on).days
    context = {
        "rows": rows,
        "count": count,
        "list_url": reverse("mediation:dispute_list") + "?old_open=true",
        "order": 50,
    }
    return ("mediation/_home_panel.html", context)


def dashboard_panel(*, user, period=None):
    """Mediation on the county dashboard: per township the disputes received in the period's year,
    the resolution rate (达成协议 / 已办结) and those open for more than 30 days; townships with old
    open disputes first (most first), then the lowest rate. Each figure links to its disputes."""
    year = period.year if period else timezone.localdate().year
    rows, _totals = selectors.summary_by_township(user, year=year)
    for row in rows:
        row.level = level(row.rate, bad=RATE_BAD_BELOW, warn=RATE_WARN_BELOW)
        row.old_level = "bad" if row.old_open else "ok"
    base = reverse("mediation:dispute_list")

    def link(row):
        query = urlencode({"year": year, "township": row.unit.code})
        row.href = f"{base}?{query}"
        row.closed_href = f"{base}?{query}&closed=true"
        row.agreement_href = f"{base}?{query}&outcome=agreement"
        row.old_href = f"{base}?{query}&old_open=true"

    many_counties = user.role == Role.ADMIN or user.is_superuser
    # Most old open disputes first, then the lowest rate, townships without a rate after those with one.
    rows, shown = rank_rows(
        rows,
        key=lambda r: (-r.old_open, r.rate is None, r.rate if r.rate is not None else 0),
        name=lambda r: r.unit.code,
        many_counties=many_counties,
        link=link,
    )
    chart = percent_chart(
        _("各乡镇矛盾纠纷化解率（%(year)s年受理）") % {"year": year},
        shown,
        label=lambda r: r.unit.name,
        value=lambda r: r.rate,
        href=lambda r: r.closed_href,
        css=lambda r: r.level,
        thresholds=(RATE_BAD_BELOW, RATE_WARN_BELOW),
    )
    tables = [
        township_table(
            _("矛盾纠纷化解"),
            [_("乡镇（街道）"), _("受理"), _("已办结"), _("达成协议"), _("化解率（%）"), _("调解中超过30天")],
            rows,
            cells=lambda r: [r.unit.name, r.total, r.closed, r.agreements, r.rate, r.old_open],
            many_counties=many_counties,
            county=lambda r: r.county.name,
        )
    ]
    context = {
        "year": year,
        "rows": shown,
        "row_total": len(rows),
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
    }
    return ("mediation/_dashboard_panel.html", context)
