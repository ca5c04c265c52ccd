"""Sections of shared pages (governance/hooks.py): village page, home page, county dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.review import ReviewItem
from governance.roles import Role
from governance.scoping import get_visible_or_404
from supervision import selectors, services
from supervision.models import Kind, ReportingPolicy

REPORT_KEY = "supervision.report"
REQUEST_KEY = "supervision.request"

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
            # Returned reports and this period's missing ones come first on a township's home page.
            "order": 10,
            "items": items[:HOME_LIMIT],
            "more": len(items) > HOME_LIMIT,
            "escalation": user.role == Role.COUNTY_OFFICIAL,
            "returned": selectors.returned_reports_for(user) if user.role == Role.TOWNSHIP_STAFF else [],
            "escalate_days": policy.escalate_after_days,
        },
    )


def _rate_headers() -> list[str]:
    """The figure columns of a completeness table, after its township or county column."""
    return [_("应报"), _("已报"), _("未报"), _("完整率（%）"), _("按时"), _("及时率（%）")]


def dashboard_panel(*, user, period=None):
    """Completeness and timeliness per township for the dashboard's period (a month by default),
    worst first and coloured (governance/charts.py), and the 12-month county trend: six queries."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from governance.charts import Point, line_chart, percent_chart, rank_rows, township_table
    from governance.periods import collected_month

    period = period or collected_month(timezone.localdate())
    reporting = selectors.dashboard_period(period)
    rows, total = selectors.completeness_table(user=user, period=reporting)
    monthly = reporting.kind == Kind.MONTHLY
    for row in rows:
        row.missing = row.expected - row.submitted
        row.not_on_time = row.expected - row.on_time
        row.level, row.timeliness_level = _levels(row.completeness, row.timeliness)
        row.grid = ""
    _colour_total(total)
    many_counties = user.role == Role.ADMIN

    def link(row):
        row.grid = reverse("supervision:grid", args=[row.code, reporting.year, reporting.number])

    rows, shown = rank_rows(
        rows,
        key=lambda r: r.completeness,
        name=lambda r: r.code,
        many_counties=many_counties,
        link=link if monthly else None,
    )
    chart = percent_chart(
        _("各乡镇报告完整率（%(period)s）") % {"period": reporting.label},
        shown,
        label=lambda r: r.name,
        value=lambda r: r.completeness,
        href=lambda r: f"{r.grid}?missing=1" if r.grid else "",
        css=lambda r: r.level,
    )
    end = reporting.end if reporting.end <= timezone.localdate() else None
    last_year, last_month = (end.year, end.month) if end else selectors.latest_due_month(timezone.localdate())
    trend = selectors.completeness_trend(user=user, year=last_year, month=last_month)
    trend_chart = line_chart(
        _("近12个月完整率"),
        [
            Point(
                label=f"{item['period'].number}",
                value=item["completeness"],
                text="—" if item["completeness"] is None else f"{item['completeness']}%",
            )
            for item in trend
        ],
    )
    tables = [
        township_table(
            _("完整率与及时率"),
            [_("乡镇（街道）"), *_rate_headers()],
            rows,
            cells=lambda r: [
                r.name,
                r.expected,
                r.submitted,
                r.missing,
                r.completeness,
                r.on_time,
                r.timeliness,
            ],
            many_counties=many_counties,
            county=lambda r: r.county.name,
        ),
        {
            "title": _("近12个月完整率"),
            "headers": [_("月份"), _("应报"), _("已报"), _("完整率（%）"), _("按时"), _("及时率（%）")],
            "rows": [
                [
                    item["period"].label,
                    item["expected"],
                    item["submitted"],
                    item["completeness"],
                    item["on_time"],
                    item["timeliness"],
                ]
                for item in trend
            ],
        },
    ]
    villages = []
    if user.role == Role.TOWNSHIP_STAFF and monthly and user.township_id:
        # A township user's drill-down on the page itself: their villages, not yet reported first.
        order = {"missing": 0, "draft": 1, "returned": 2, "late": 3, "submitted": 4, "approved": 5}
        villages = sorted(
            selectors.month_grid(township=user.township, period=reporting),
            key=lambda row: (order[row.status], row.village.code),
        )
        tables.append(
            {
                "title": _("各村报送情况"),
                "headers": [_("村（社区）"), _("状态"), _("提交时间")],
                "rows": [[row.village.name, str(row.label), row.submitted_at] for row in villages],
            }
        )
    context = {
        "period": reporting,
        "villages": villages,
        "rows": shown,
        "row_total": len(rows),
        "total": total,
        "chart": chart,
        "trend": trend,
        "trend_chart": trend_chart,
        "many_counties": many_counties,
        "monthly": monthly,
        "tables": tables,
    }
    return ("supervision/_dashboard_panel.html", context)


def _levels(completeness, timeliness) -> tuple[str, str]:
    """The colour classes of a completeness and a timeliness rate (governance/charts.py thresholds)."""
    from governance.charts import level

    return level(completeness), level(timeliness)


def _colour_total(total: dict) -> None:
    total["missing"] = total["expected"] - total["submitted"]
    total["level"], total["timeliness_level"] = _levels(total["completeness"], total["timeliness"])


def province_panel(*, user, period=None):
    """An admin's province before a county is chosen: completeness and timeliness per county for the
    period, worst first and coloured, each county opening its own dashboard (the townships' tally
    rows summed per county in SQL: two queries)."""
    from governance.charts import percent_chart, rank_rows
    from governance.periods import collected_month

    period = period or collected_month(timezone.localdate())
    reporting = selectors.dashboard_period(period)
    counties, total = selectors.completeness_county_table(user=user, period=reporting)
    _colour_total(total)
    base = reverse("dashboard")
    for row in counties:  # 183 links at most: every county row opens its dashboard
        row["missing"] = row["expected"] - row["submitted"]
        row["level"], row["timeliness_level"] = _levels(row["completeness"], row["timeliness"])
        row["href"] = f"{base}?{urlencode({'county': row['county'].code, 'period': period.key})}"
    rows, shown = rank_rows(
        counties, key=lambda r: r["completeness"], name=lambda r: r["county"].code, many_counties=True
    )
    chart = percent_chart(
        _("各县（市）报告完整率（%(period)s）") % {"period": reporting.label},
        shown,
        label=lambda r: r["county"].name,
        value=lambda r: r["completeness"],
        href=lambda r: r["href"],
        css=lambda r: r["level"],
    )
    table = {
        "title": _("各县（市）完整率与及时率"),
        "headers": [_("县（市）"), *_rate_headers()],
        "rows": [
            [
                r["county"].name,
                r["expected"],
                r["submitted"],
                r["missing"],
                r["completeness"],
                r["on_time"],
                r["timeliness"],
            ]
            for r in rows
        ],
    }
    context = {"period": reporting, "rows": rows, "total": total, "chart": chart, "tables": [table]}
    return ("supervision/_province_panel.html", context)


def _report_item(report) -> ReviewItem:
    resubmitted = report.first_submitted_at and report.submitted_at != report.first_submitted_at
    return ReviewItem(
        kind=_("监督报告（重新提交）") if resubmitted else _("监督报告"),
        record=report.period.title,
        place=_("%(place)s（%(township)s）")
        % {"place": report.village.name, "township": report.township.name},
        county=report.township.county.name,
        submitted_at=report.submitted_at,
        url=reverse("supervision:report_detail", args=[report.public_id]),
        key=f"{REPORT_KEY}:{report.public_id}",
        approve_label=_("审核通过"),
        return_label=_("退回"),
    )


def _request_item(request) -> ReviewItem:
    village = request.village
    return ReviewItem(
        kind=_("开放申请"),
        record=request.period.title,
        place=_("%(place)s（%(township)s）") % {"place": village.name, "township": village.township.name},
        county=village.township.county.name,
        submitted_at=request.requested_at,
        url=reverse("villages:village_detail", args=[village.code]),
        key=f"{REQUEST_KEY}:{request.public_id}",
        approve_label=_("同意开放"),
        return_label=_("不同意"),
        note=_("申请理由") + _("：") + request.reason,
    )


def review_items(*, user, limit):
    """Submitted reports and exception requests waiting in the user's jurisdiction, oldest first
    (two queries, a third for the count only when a list is full)."""
    if user.role not in (Role.COUNTY_OFFICIAL, Role.ADMIN) and not user.is_superuser:
        return None
    reports = list(selectors.reports_waiting(user)[:limit])
    requests = list(selectors.requests_waiting(user)[:limit])
    items = [_report_item(r) for r in reports] + [_request_item(r) for r in requests]
    count = len(items) if len(reports) < limit and len(requests) < limit else selectors.waiting_count(user)
    return items, count


def review_count(*, user):
    """The rows the navigation counts (governance counts every app's in one query)."""
    return selectors.waiting_rows(user)


def review_act(*, user, key, action, reason):
    """Approve / return a report, or grant / refuse an exception request, from the queue."""
    prefix, _sep, public_id = key.partition(":")
    if prefix == REPORT_KEY:
        report = get_visible_or_404(selectors.reports_visible_to(user), public_id=public_id)
        if action == "approve":
            services.report_approve(report=report, user=user)
            return _("%(report)s已审核通过。") % {"report": report}
        services.report_return(report=report, user=user, reason=reason)
        return _("%(report)s已退回。") % {"report": report}
    if prefix == REQUEST_KEY:
        request = get_visible_or_404(selectors.exception_requests_visible_to(user), public_id=public_id)
        if action == "approve":
            services.exception_request_grant(request=request, user=user)
            return _("已为%(village)s开放%(period)s。") % {
                "village": request.village.name,
                "period": request.period.label,
            }
        services.exception_request_refuse(request=request, user=user, reason=reason)
        return _("已拒绝%(village)s的开放申请。") % {"village": request.village.name}
    return None
