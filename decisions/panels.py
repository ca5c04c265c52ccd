"""Sections of shared pages (governance/hooks.py): a village's matters, the county roll-up."""

from __future__ import annotations

from decisions.selectors import jurisdiction_matter_counts, late_matters, matter_counts, matters_visible_to

VILLAGE_PANEL_LIMIT = 20


def village_panel(*, village, user):
    """The village's latest matters (bounded) with its counts: two queries."""
    matters = matters_visible_to(user).filter(village=village)
    return (
        "decisions/_village_panel.html",
        {
            "village": village,
            "matters": list(matters.order_by("-created_at", "-pk")[:VILLAGE_PANEL_LIMIT]),
            "counts": matter_counts(matters),
        },
    )


def _counts_panel(user):
    counts = jurisdiction_matter_counts(user)
    return ("decisions/_counts_panel.html", {"counts": counts})


def dashboard_panel(*, user, period=None):
    """Matters by state and overdue per township (current state: a matter has no period), most
    overdue first; every figure a link to the filtered matter list (two queries)."""
    from django.urls import reverse
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _

    from decisions.selectors import matter_counts_by_township
    from governance.charts import Bar, bar_chart, level, rank_rows, township_table
    from governance.roles import Role

    rows, counts = matter_counts_by_township(user)
    base = reverse("decisions:index")
    for row in rows:
        # Any overdue disclosure is red: the notice period is the law's, there is no tolerance.
        row["level"] = level(row["overdue"], bad=0, warn=0, higher_is_better=False)
    many_counties = user.role == Role.ADMIN

    def link(row):
        code = row["township_code"]
        row["links"] = {
            "total": f"{base}?{urlencode({'township': code})}",
            "resolved": f"{base}?{urlencode({'township': code, 'state': 'resolved'})}",
            "disclosed": f"{base}?{urlencode({'township': code, 'state': 'disclosed'})}",
            "completed": f"{base}?{urlencode({'township': code, 'state': 'completed'})}",
            "overdue": f"{base}?{urlencode({'township': code, 'overdue': 'true'})}",
        }

    rows, shown = rank_rows(
        rows,
        key=lambda r: r["overdue"],
        name=lambda r: r["township_code"],
        many_counties=many_counties,
        higher_is_better=False,
        link=link,
    )
    chart = bar_chart(
        _("各乡镇逾期未公开事项数"),
        [
            Bar(
                label=row["township_name"],
                value=row["overdue"],
                text=str(row["overdue"]),
                css=row["level"],
                href=row["links"]["overdue"],
            )
            for row in shown
        ],
    )
    table = township_table(
        _("四议两公开"),
        [
            _("乡镇（街道）"),
            _("事项总数"),
            _("已决议待公开"),
            _("决议已公开"),
            _("结果已公开"),
            _("逾期未公开"),
        ],
        rows,
        cells=lambda r: [
            r["township_name"],
            r["total"],
            r["resolved"],
            r["disclosed"],
            r["completed"],
            r["overdue"],
        ],
        many_counties=many_counties,
        county=lambda r: r["county_name"],
    )
    context = {
        "counts": counts,
        "rows": shown,
        "row_total": len(rows),
        "chart": chart,
        "many_counties": many_counties,
        "tables": [table],
    }
    return ("decisions/_dashboard_panel.html", context)


HOME_LATE_LIMIT = 8


def home_panel(*, user):
    """Overdue disclosures in the user's jurisdiction, the township's to-do list; after the
    supervision reports on the home page (``order`` 30, see governance/hooks.py). A township's
    staff also get the overdue matters themselves, most overdue first, each a link to the step
    that is late (one more query, bounded)."""
    from governance.roles import Role

    template, context = _counts_panel(user)
    if user.role == Role.TOWNSHIP_STAFF:
        context["late"] = late_matters(user, limit=HOME_LATE_LIMIT)
    return (template, {**context, "order": 30})
