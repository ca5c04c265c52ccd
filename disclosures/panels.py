"""Sections of shared pages (governance/hooks.py): the home page, the county dashboard and the
village's page on the public board."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures import selectors
from disclosures.models import Category, Disclosure
from governance.periods import QUARTER, Period
from governance.roles import Role

# Share of villages that disclosed finance in the quarter: below 80 % red, below 100 % amber.
FINANCE_BAD_BELOW = 80
FINANCE_WARN_BELOW = 100


def _missing_url(period, category, township=None) -> str:
    query = {"quarter": period.key, "category": category}
    if township is not None:
        query["township"] = township.code
    return f"{reverse('disclosures:missing')}?{urlencode(query)}"


def home_panel(*, user):
    """Township staff: how many of their villages have not disclosed finance this quarter (one
    click to the list), and their drafts waiting to be published: two queries."""
    if user.role != Role.TOWNSHIP_STAFF or not user.township_id:
        return None
    period = selectors.quarter_of(timezone.localdate())
    missing = selectors.missing_villages(user, period=period, category=Category.FINANCE).count()
    drafts = selectors.disclosures_visible_to(user).filter(state=Disclosure.State.DRAFT).count()
    context = {
        "order": 20,
        "period": period,
        "missing": missing,
        "missing_url": _missing_url(period, Category.FINANCE),
        "drafts": drafts,
        "drafts_url": f"{reverse('disclosures:list')}?state=draft",
    }
    return ("disclosures/_home_panel.html", context)


def dashboard_quarter(period: Period | None) -> Period:
    """The quarter a dashboard period stands for: the quarter holding its last day, or this quarter
    when that is still to come."""
    today = timezone.localdate()
    if period is None:
        return selectors.quarter_of(today)
    if period.kind == QUARTER:
        return period
    return selectors.quarter_of(min(period.end, today))


def dashboard_panel(*, user, period=None):
    """Per township the share of current villages that disclosed finance in the quarter, worst
    first and coloured; each figure links to the list of the villages missing (two queries)."""
    from governance.charts import level, percent_chart, rank_rows, township_table

    if user.role not in (Role.COUNTY_OFFICIAL, Role.ADMIN) and not user.is_superuser:
        return None
    quarter = dashboard_quarter(period)
    rows = selectors.coverage_by_township(user, period=quarter, category=Category.FINANCE)
    for row in rows:
        row.level = level(row.percent, bad=FINANCE_BAD_BELOW, warn=FINANCE_WARN_BELOW)

    def link(row):
        row.href = _missing_url(quarter, Category.FINANCE, row.township)

    many_counties = user.role == Role.ADMIN or user.is_superuser
    rows, shown = rank_rows(
        rows, key=lambda r: r.percent, name=lambda r: r.township.code, many_counties=many_counties, link=link
    )
    chart = percent_chart(
        _("各乡镇本季度财务公开的村占比（%(quarter)s）") % {"quarter": quarter.label},
        shown,
        label=lambda r: r.township.name,
        value=lambda r: r.percent,
        href=lambda r: r.href,
        css=lambda r: r.level,
        thresholds=(FINANCE_BAD_BELOW,),
    )
    tables = [
        township_table(
            _("财务公开"),
            [_("乡镇（街道）"), _("村（社区）数"), _("已公开"), _("未公开"), _("公开率")],
            rows,
            cells=lambda r: [
                r.township.name,
                r.villages,
                r.disclosed,
                r.missing,
                "" if r.percent is None else f"{r.percent}%",
            ],
            many_counties=many_counties,
            county=lambda r: r.township.county.name,
        )
    ]
    context = {
        "quarter": quarter,
        "rows": shown,
        "row_total": len(rows),
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
        "all_url": _missing_url(quarter, Category.FINANCE),
    }
    return ("disclosures/_dashboard_panel.html", context)


def public_panel(*, village):
    """The village's published (and withdrawn, marked) disclosures by category, newest first, each
    linking to its printable page: one query. Titles are redacted in the template."""
    disclosures = selectors.public_for_village(village)
    groups = []
    for value, label in Category.choices:
        items = [d for d in disclosures if d.category == value]
        if items:
            groups.append({"label": label, "items": items})
    return ("disclosures/_public_panel.html", {"village": village, "groups": groups})
