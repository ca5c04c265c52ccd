"""Reads of supervision reports, always scoped to the user's jurisdiction (DESIGN §1, §5).

Counting happens in SQL. The month grid, health matrix and county table each run a fixed number of
queries whatever the number of villages (tests pin the bound at 20 and 300 villages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import User
from governance.roles import Role
from governance.scoping import scope
from supervision.models import (
    AREA_FIELDS,
    Area,
    ExceptionRequest,
    Kind,
    LockException,
    PeriodDeadline,
    Rectification,
    Report,
    ReportingPeriod,
    ReportingPolicy,
    ReportTally,
)
from villages.models import Township, Village
from villages.selectors import townships_visible_to, villages_visible_to

SUBMITTED_STATES = (Report.Status.SUBMITTED, Report.Status.APPROVED)


# --- periods -------------------------------------------------------------------------------------


def period_get(kind: str, year: int, number: int) -> ReportingPeriod:
    """The saved period, or an unsaved one with the policy's default calendar (no write on GET)."""
    period = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
    return period or ReportingPeriod.build(kind, year, number)


def period_from_key(key: str) -> ReportingPeriod | None:
    parsed = ReportingPeriod.parse_key(key or "")
    return period_get(*parsed) if parsed else None


def latest_due_month(today: dt.date) -> tuple[int, int]:
    """The month whose report is currently being collected: the previous calendar month."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def recent_months(today: dt.date, count: int = 12) -> list[tuple[int, int]]:
    """The ``count`` months before ``today``'s month, oldest first."""
    year, month = latest_due_month(today)
    months = []
    for _step in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def period_choices(today: dt.date, *, kinds=tuple(Kind), years: int = 3) -> list[tuple[str, list]]:
    """DHIS2-style period picker options, grouped by kind, newest first: every period of the last
    ``years`` years that has started by ``today`` (no query: keys and labels come from the calendar)."""
    groups = []
    for kind in kinds:
        kind = Kind(kind)
        options = []
        for year in range(today.year, today.year - years, -1):
            count = {Kind.MONTHLY: 12, Kind.QUARTERLY: 4, Kind.ANNUAL: 1}[kind]
            for number in range(count, 0, -1):
                start, _end = ReportingPeriod.bounds(kind, year, number)
                if start <= today:
                    period = ReportingPeriod(kind=kind, year=year, number=number)
                    options.append((period.key, period.label))
        groups.append((str(kind.label), options))
    return groups


def period_neighbours(period: ReportingPeriod, today: dt.date) -> tuple[str, str | None]:
    """Keys of the previous and next period of the same kind (no next one before it has started)."""
    count = {Kind.MONTHLY: 12, Kind.QUARTERLY: 4, Kind.ANNUAL: 1}[Kind(period.kind)]
    index = period.year * count + period.number - 1
    keys = []
    for step in (-1, 1):
        year, number = divmod(index + step, count)
        keys.append((ReportingPeriod(kind=period.kind, year=year, number=number + 1), year, number + 1))
    (prev, *_p), (nxt, year, number) = keys
    started = ReportingPeriod.bounds(period.kind, year, number)[0] <= today
    return prev.key, nxt.key if started else None


# --- reports -------------------------------------------------------------------------------------


def deadline_sql(period_ref: str = "period", county_ref: str = "township__county"):
    """The report's deadline in SQL: its county's ``PeriodDeadline`` for the period when the county
    has its own calendar, else the period's (default) deadline. One indexed lookup per row."""
    own = PeriodDeadline.objects.filter(period_id=OuterRef(period_ref), county_id=OuterRef(county_ref))
    return Coalesce(Subquery(own.values("deadline")[:1]), F(f"{period_ref}__deadline"))


def late_q() -> Q:
    """Late in SQL: first submitted at or after the deadline, or never submitted and the deadline
    passed (the county's deadline: ``deadline_sql``)."""
    deadline = deadline_sql()
    return Q(first_submitted_at__gte=deadline) | (
        Q(first_submitted_at__isnull=True) & Q(LessThanOrEqual(deadline, Now()))
    )


class TalliedReports(QuerySet):
    """Reports whose ``count()`` adds the tallies' submitted reports (``ReportTally``, kept by the
    database with each write) to the reports never submitted (a partial index): the whole list's
    count of a province without counting 2 million rows. Any filter added afterwards (a where
    clause more, or none()) counts the rows again."""

    tally_user = None
    tally_where = 0

    def _clone(self):
        clone = super()._clone()
        clone.tally_user, clone.tally_where = self.tally_user, self.tally_where
        return clone

    def count(self):
        query = self.query
        unchanged = (
            len(query.where.children) == self.tally_where and not query.is_empty() and not query.is_sliced
        )
        if self.tally_user is None or self._result_cache is not None or not unchanged:
            return super().count()
        return report_count(self.tally_user)


def counted_by_tally(reports: QuerySet[Report], user) -> TalliedReports:
    """``reports`` (``reports_visible_to(user)``, unfiltered) counted by ``report_count``."""
    tallied = reports._chain()
    tallied.__class__ = TalliedReports
    tallied.tally_user, tallied.tally_where = user, len(reports.query.where.children)
    return tallied


def report_count(user) -> int:
    """Every report in the user's jurisdiction: those ever submitted (the tallies, per township and
    period) and those never submitted (drafts). Two small queries."""
    submitted = scope(ReportTally.objects.all(), user, township_path="township").aggregate(n=Sum("submitted"))
    never = scope(Report.objects.filter(first_submitted_at__isnull=True), user, township_path="township")
    return (submitted["n"] or 0) + never.count()


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports in the user's jurisdiction with village, township, period and reporter loaded and
    ``late`` annotated (computed, never stored)."""
    qs = Report.objects.select_related("village", "township", "period", "reporter").annotate(
        late=Case(When(late_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return scope(qs, user, township_path="township")


def rectifications_visible_to(user) -> QuerySet[Rectification]:
    return scope(
        Rectification.objects.select_related("village", "opened_in__period", "closed_in__period"),
        user,
        township_path="village__township",
    )


def report_for(*, village: Village, period: ReportingPeriod) -> Report | None:
    if period.pk is None:
        return None
    return Report.objects.filter(village=village, period=period).first()


def exception_exists(*, village: Village, period: ReportingPeriod) -> bool:
    return period.pk is not None and LockException.objects.filter(village=village, period=period).exists()


def carried_items(report: Report) -> QuerySet[Rectification]:
    """Items from the village's earlier reports still open at this report's time (or closed in it).

    Earlier = a report whose period ends no later than this one; an item closed in a later report
    was still open here, so old reports keep showing what was open then.
    """
    return (
        Rectification.objects.filter(
            village_id=report.village_id, opened_in__period__end__lte=report.period.end
        )
        .exclude(opened_in=report)
        .filter(Q(closed_in__isnull=True) | Q(closed_in__period__end__gte=report.period.end))
        .select_related("opened_in__period", "closed_in__period")
        .order_by("found_on", "id")
    )


def opened_items(report: Report) -> QuerySet[Rectification]:
    return report.opened_items.select_related("closed_in__period").order_by("found_on", "id")


def attach_corrections(items: list[Rectification]) -> list:
    """Set ``item.correction_list`` (更正, oldest first) on each item in one query; returns them all."""
    from supervision.models import RectificationCorrection

    by_item: dict[int, list] = {item.pk: [] for item in items}
    rows = list(
        RectificationCorrection.objects.filter(item_id__in=by_item)
        .select_related("corrected_by", "item")
        .order_by("corrected_at", "id")
    )
    for row in rows:
        by_item[row.item_id].append(row)
    for item in items:
        item.correction_list = by_item[item.pk]
    return rows


def report_corrections(report: Report) -> list:
    """Corrections of ``report``'s content (更正 after approval), oldest first, with who made them."""
    return list(report.corrections.select_related("corrected_by").order_by("corrected_at", "id"))


def item_corrections(item: Rectification) -> list:
    return list(item.corrections.select_related("corrected_by").order_by("corrected_at", "id"))


def child_kind(kind: str) -> str | None:
    return {Kind.QUARTERLY: Kind.MONTHLY, Kind.ANNUAL: Kind.QUARTERLY}.get(kind)


def child_reports(*, village: Village, period: ReportingPeriod) -> QuerySet[Report]:
    """The monthly reports of a quarter, or the quarterly reports of a year."""
    kind = child_kind(period.kind)
    if kind is None:
        return Report.objects.none()
    return (
        Report.objects.filter(
            village=village, period__kind=kind, period__start__gte=period.start, period__end__lte=period.end
        )
        .select_related("period")
        .order_by("period__start")
    )


def rollup_text(*, village: Village, period: ReportingPeriod) -> dict[str, str]:
    """Initial findings of a quarterly (annual) report: each month's (quarter's) text under its label."""
    texts = {field: [] for field in [*AREA_FIELDS.values(), "summary"]}
    for child in child_reports(village=village, period=period):
        for field in texts:
            value = getattr(child, field).strip()
            if value:
                paragraph = gettext("【%(period)s】%(text)s") % {"period": child.period.label, "text": value}
                texts[field].append(paragraph)
    return {field: "\n".join(parts) for field, parts in texts.items()}


@dataclass
class AreaFigures:
    area: str
    label: str
    opened: int = 0
    closed: int = 0
    open_at_end: int = 0


@dataclass
class Rollup:
    areas: list[AreaFigures]
    reported: int
    expected: int
    child_label: str

    @property
    def totals(self) -> AreaFigures:
        return AreaFigures(
            "",
            str(_("合计")),
            sum(a.opened for a in self.areas),
            sum(a.closed for a in self.areas),
            sum(a.open_at_end for a in self.areas),
        )


def rollup_figures(*, village: Village, period: ReportingPeriod) -> Rollup:
    """Figures of a quarterly/annual report, from the records (two queries): per area the items
    opened and closed in the span and still open at its end, and how many child reports came in."""
    end, start = period.end, period.start
    rows = (
        Rectification.objects.filter(village=village, opened_in__period__end__lte=end)
        .values("area")
        .annotate(
            opened=Count("pk", filter=Q(opened_in__period__start__gte=start)),
            closed=Count(
                "pk", filter=Q(closed_in__period__start__gte=start, closed_in__period__end__lte=end)
            ),
            open_at_end=Count("pk", filter=Q(closed_in__isnull=True) | Q(closed_in__period__end__gt=end)),
        )
        .order_by()
    )
    by_area = {row["area"]: row for row in rows}
    areas = []
    for area in Area:
        row = by_area.get(area.value, {})
        areas.append(
            AreaFigures(
                area.value,
                str(area.label),
                row.get("opened", 0),
                row.get("closed", 0),
                row.get("open_at_end", 0),
            )
        )
    kind = child_kind(period.kind)
    reported = (
        child_reports(village=village, period=period).filter(first_submitted_at__isnull=False).count()
        if kind
        else 0
    )
    expected = 3 if period.kind == Kind.QUARTERLY else 4 if period.kind == Kind.ANNUAL else 0
    return Rollup(areas, reported, expected, str(Kind(kind).label) if kind else "")


# --- status shown in grids -----------------------------------------------------------------------

GRID_STATUS = {
    # label, badge class, one-character code for the matrix cells
    "missing": (_("未填报"), "none", _("缺")),
    "draft": (_("草稿"), "info", _("草")),
    "submitted": (_("已提交"), "ok", _("交")),
    "late": (_("逾期提交"), "warn", _("迟")),
    "returned": (_("已退回"), "bad", _("退")),
    "approved": (_("已通过"), "ok", _("通")),
}


def grid_status(status: str | None, first_submitted_at, deadline) -> str:
    """missing / draft / submitted / late / returned / approved for one village and period."""
    if status is None:
        return "missing"
    if status == Report.Status.SUBMITTED and first_submitted_at and first_submitted_at >= deadline:
        return "late"
    return status


def _current_in(period: ReportingPeriod, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": period.end}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": period.end})
    )


@dataclass
class GridRow:
    village: Village
    status: str
    report_id: object
    submitted_at: object
    has_exception: bool
    first_submitted_at: object = None  # None: never submitted (what completeness counts as missing)

    @property
    def label(self):
        return GRID_STATUS[self.status][0]

    @property
    def css(self):
        return GRID_STATUS[self.status][1]


def month_grid(*, township: Township, period: ReportingPeriod) -> list[GridRow]:
    """Every village of the township current in the period, with its report's status: one query
    (two when ``period`` is not yet read for the township's county: ``ReportingPeriod.for_county``)."""
    period = period.for_county(township.county_id)
    period_id = period.pk or 0
    villages = (
        Village.objects.filter(_current_in(period), township=township)
        .annotate(
            r=FilteredRelation("supervision_reports", condition=Q(supervision_reports__period_id=period_id)),
            report_status=F("r__status"),
            report_public_id=F("r__public_id"),
            report_first_submitted=F("r__first_submitted_at"),
            report_submitted=F("r__submitted_at"),
            has_exception=Exists(LockException.objects.filter(village=OuterRef("pk"), period_id=period_id)),
        )
        .order_by("code")
    )
    return [
        GridRow(
            v,
            grid_status(v.report_status, v.report_first_submitted, period.deadline),
            v.report_public_id,
            v.report_submitted,
            v.has_exception,
            v.report_first_submitted,
        )
        for v in villages
    ]


def health_matrix(*, township: Township, today: dt.date) -> tuple[list[ReportingPeriod], list[tuple]]:
    """Villages × the last 12 months for one township, one status per cell (three queries)."""
    months = recent_months(today)
    # The township's county's calendar: its own deadlines for saved periods (read with them), its
    # policy for the months not created yet (read only when there is one).
    county_id = township.county_id
    own = PeriodDeadline.objects.filter(period=OuterRef("pk"), county_id=county_id)
    saved = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(
            kind=Kind.MONTHLY, start__gte=dt.date(*months[0], 1), start__lte=dt.date(*months[-1], 1)
        ).annotate(
            own_due=Subquery(own.values("due_date")[:1]),
            own_deadline=Subquery(own.values("deadline")[:1]),
            own_locks=Subquery(own.values("locks_on")[:1]),
        )
    }
    policy = ReportingPolicy.effective(county_id) if len(saved) < len(months) else None
    periods = []
    for ym in months:
        period = saved.get(ym)
        if period is None:
            period = ReportingPeriod.build(Kind.MONTHLY, *ym, policy)
        elif period.own_due is not None:
            period.due_date, period.deadline, period.locks_on = (
                period.own_due,
                period.own_deadline,
                period.own_locks,
            )
        periods.append(period)
    reports = {
        (r["village_id"], r["period_id"]): r
        for r in Report.objects.filter(township=township, period__in=[p for p in periods if p.pk]).values(
            "village_id", "period_id", "status", "first_submitted_at", "public_id"
        )
    }
    rows = []
    first = periods[0]
    for village in (
        Village.objects.filter(township=township, valid_from__lte=periods[-1].end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first.start))
        .order_by("code")
    ):
        cells = []
        for period in periods:
            report = reports.get((village.pk, period.pk))
            status = grid_status(
                report and report["status"], report and report["first_submitted_at"], period.deadline
            )
            cells.append((period, status, GRID_STATUS[status], report and report["public_id"]))
        rows.append((village, cells))
    return periods, rows


def completeness(*, user, period: ReportingPeriod, county=None) -> QuerySet[Township]:
    """County table: per current township in scope, expected villages, submitted and on-time
    reports for ``period``; one query whatever the number of reports.

    On time = first submitted strictly before the township's county's deadline for the period (its
    ``PeriodDeadline`` when its calendar differs, else ``period.deadline``: the local midnight after
    the due date, so 23:59:59 Asia/Shanghai on the due date still counts). The submitted and on-time
    counts come from ``ReportTally`` (kept by the database with each write, migration 0006).
    ``county`` limits the table to one county's townships (an admin's second level)."""
    period_id = period.pk or 0
    expected = (
        Village.objects.filter(_current_in(period), township=OuterRef("pk"))
        .order_by()
        .values("township")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tally = ReportTally.objects.filter(township=OuterRef("pk"), period_id=period_id)
    townships = townships_visible_to(user)
    if county is not None:
        townships = townships.filter(county=county)
    return (
        townships.filter(_current_in(period))
        .annotate(
            expected=Coalesce(Subquery(expected, output_field=IntegerField()), 0),
            submitted=Coalesce(Subquery(tally.values("submitted")[:1]), 0),
            on_time=Coalesce(Subquery(tally.values("on_time")[:1]), 0),
        )
        .order_by("code")
    )


def completeness_by_county(*, user, period: ReportingPeriod) -> list[dict]:
    """``completeness`` summed per county (an admin's province: 183 rows rather than 3,111 township
    objects): ``{"county": County, "expected", "submitted", "on_time"}`` in county code order, one
    query."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from villages.models import County

    townships = completeness(user=user, period=period).order_by()
    try:
        inner, params = townships.values(
            "county_id", "expected", "submitted", "on_time"
        ).query.sql_with_params()
    except EmptyResultSet:
        return []
    sql = (
        "SELECT s.county_id, SUM(s.expected)::bigint, SUM(s.submitted)::bigint, SUM(s.on_time)::bigint "
        f"FROM ({inner}) s GROUP BY s.county_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sums = {pk: (expected, submitted, on_time) for pk, expected, submitted, on_time in cursor.fetchall()}
    counties = County.objects.filter(pk__in=sums).only("code", "name").order_by("code")
    return [
        dict(zip(("county", "expected", "submitted", "on_time"), (county, *sums[county.pk]), strict=True))
        for county in counties
    ]


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def completeness_table(*, user, period: ReportingPeriod, county=None) -> tuple[list[Township], dict]:
    """``completeness`` rows with their rates, and the county total (summing ~20 aggregated rows)."""
    rows = list(completeness(user=user, period=period, county=county))
    return _with_rates(rows), _total_of(rows)


def completeness_county_table(*, user, period: ReportingPeriod) -> tuple[list[dict], dict]:
    """``completeness_by_county`` rows (dicts) with their rates, and the total of them all."""
    rows = completeness_by_county(user=user, period=period)
    for row in rows:
        row["completeness"] = rate(row["submitted"], row["expected"])
        row["timeliness"] = rate(row["on_time"], row["expected"])
    return rows, _total_of(rows, get=dict.get)


def _with_rates(rows: list) -> list:
    for row in rows:
        row.completeness = rate(row.submitted, row.expected)
        row.timeliness = rate(row.on_time, row.expected)
    return rows


def _total_of(rows: list, get=getattr) -> dict:
    total = {f: sum(get(r, f) for r in rows) for f in ("expected", "submitted", "on_time")}
    total["completeness"] = rate(total["submitted"], total["expected"])
    total["timeliness"] = rate(total["on_time"], total["expected"])
    return total


KIND_OF = {"month": Kind.MONTHLY, "quarter": Kind.QUARTERLY, "year": Kind.ANNUAL}


def dashboard_period(period) -> ReportingPeriod:
    """The reporting period of a dashboard's ``governance.periods.Period`` (same kind, year, number)."""
    return period_get(KIND_OF[period.kind], period.year, period.number)


def completeness_trend(*, user, year: int, month: int, count: int = 12) -> list[dict]:
    """Completeness and timeliness of the ``count`` monthly periods ending with ``year``-``month``,
    oldest first, over the user's jurisdiction: four queries whatever the number of villages."""
    months = []
    for _step in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    saved = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(
            kind=Kind.MONTHLY, start__gte=dt.date(*months[0], 1), start__lte=dt.date(*months[-1], 1)
        )
    }
    policy = ReportingPolicy.current() if len(saved) < len(months) else None
    periods = [saved.get(ym) or ReportingPeriod.build(Kind.MONTHLY, *ym, policy) for ym in months]
    expected = villages_visible_to(user).aggregate(
        **{f"m{i}": Count("pk", filter=_current_in(p)) for i, p in enumerate(periods)}
    )
    # From the tallies (one row per township and period), with each county's own deadline.
    figures = {
        row["period_id"]: row
        for row in scope(ReportTally.objects.all(), user, township_path="township")
        .filter(period__in=[p for p in periods if p.pk])
        .order_by()
        .values("period_id")
        .annotate(submitted=Sum("submitted"), on_time=Sum("on_time"))
    }
    trend = []
    for index, period in enumerate(periods):
        row = figures.get(period.pk, {})
        whole = expected[f"m{index}"]
        trend.append(
            {
                "period": period,
                "expected": whole,
                "submitted": row.get("submitted", 0),
                "on_time": row.get("on_time", 0),
                "completeness": rate(row.get("submitted", 0), whole),
                "timeliness": rate(row.get("on_time", 0), whole),
            }
        )
    return trend


# --- reminders -----------------------------------------------------------------------------------


@dataclass
class Due:
    village: Village
    period: ReportingPeriod
    report_id: object
    kind: str  # Reminder.Kind value
    # The report's state when one exists: "draft" or "returned" (with the reviewer's reason), so the
    # township sees a returned report as such, not as a draft.
    report_status: str | None = None
    return_reason: str = ""

    @property
    def is_returned(self) -> bool:
        return self.report_status == Report.Status.RETURNED

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.period.due_date).days


def _pending(villages: QuerySet[Village], period: ReportingPeriod) -> QuerySet[Village]:
    """Villages current in ``period`` without a submitted or approved report for it."""
    done = Report.objects.filter(village=OuterRef("pk"), period=period, status__in=SUBMITTED_STATES)
    open_report = Report.objects.filter(village=OuterRef("pk"), period=period)
    return (
        villages.filter(_current_in(period))
        .exclude(Exists(done))
        .annotate(
            report_public_id=Subquery(open_report.values("public_id")[:1]),
            report_status=Subquery(open_report.values("status")[:1]),
            report_return_reason=Subquery(open_report.values("return_reason")[:1]),
        )
        .select_related("township")
        .order_by("township__code", "code")
    )


def due_reports_for(
    user: User, *, today: dt.date, limit: int | None = None, policy: ReportingPolicy | None = None
) -> list[Due]:
    """What ``user`` should be reminded of on ``today`` (the same list as the e-mail and home page).

    Township staff: their villages' reports due within ``remind_before_days`` and overdue ones.
    County officials: reports in their county overdue by more than ``escalate_after_days``.
    Periods due more than ``reminder_lookback_days`` ago are left to the reporting-health pages.
    One query per period in the window (at most a handful).
    """
    from supervision.models import Reminder

    county_id = user.township.county_id if user.township_id else user.county_id
    policy = policy or ReportingPolicy.effective(county_id)
    # The role decides the window; the jurisdiction selector decides the villages.
    if user.role == Role.TOWNSHIP_STAFF:
        latest = today + dt.timedelta(days=policy.remind_before_days)
    elif user.role == Role.COUNTY_OFFICIAL:
        latest = today - dt.timedelta(days=policy.escalate_after_days + 1)
    else:
        return []
    villages = villages_visible_to(user)
    earliest = today - dt.timedelta(days=policy.reminder_lookback_days)
    # The county's own due dates (PeriodDeadline) where its calendar differs: read the periods with
    # a default due date near the window (a county moves it by at most a few weeks), then keep those
    # whose due date for the county falls in it. Two queries.
    slack = dt.timedelta(days=62)
    own = PeriodDeadline.objects.filter(period=OuterRef("pk"), county_id=county_id)
    periods = []
    for period in ReportingPeriod.objects.filter(
        due_date__gte=earliest - slack, due_date__lte=latest + slack, start__lte=today
    ).annotate(own_due=Subquery(own.values("due_date")[:1])):
        period.due_date = period.own_due or period.due_date  # the county's, as reminders name it
        if earliest <= period.due_date <= latest:
            periods.append(period)
    items: list[Due] = []
    # A county official sees this month's missing villages first, then older (perhaps locked) ones;
    # a township works through its oldest deadline first.
    newest_first = user.role == Role.COUNTY_OFFICIAL
    periods.sort(key=lambda p: p.kind)
    periods.sort(key=lambda p: p.due_date, reverse=newest_first)
    for period in periods:
        if period.due_date >= today:
            kind = Reminder.Kind.DUE_SOON
        elif user.role == Role.COUNTY_OFFICIAL:
            kind = Reminder.Kind.ESCALATED
        else:
            kind = Reminder.Kind.OVERDUE
        pending = _pending(villages, period)
        if limit is not None:
            pending = pending[: max(limit - len(items), 0)]
        items.extend(
            Due(v, period, v.report_public_id, kind, v.report_status, v.report_return_reason or "")
            for v in pending
        )
        if limit is not None and len(items) >= limit:
            break
    return items


def returned_reports_for(user: User, limit: int = 30) -> list[Report]:
    """Reports returned to the user's township and not yet resubmitted, whatever their period (one
    query): the home page lists them apart from drafts, with the reviewer's reason."""
    return list(
        reports_visible_to(user)
        .filter(status=Report.Status.RETURNED)
        .select_related("reviewed_by")
        .order_by("-reviewed_at", "village__code")[:limit]
    )


def county_officials_for(village: Village) -> QuerySet[User]:
    """Who can open a locked period for ``village`` (named in the lock message)."""
    return User.objects.filter(
        role=Role.COUNTY_OFFICIAL, county_id=village.township.county_id, is_active=True
    ).order_by("username")


def open_items_for_village(village: Village, limit: int = 20) -> QuerySet[Rectification]:
    return (
        Rectification.objects.filter(village=village, status=Rectification.Status.OPEN)
        .select_related("opened_in__period")
        .order_by("deadline")[:limit]
    )


def recent_reports_for_village(village: Village, limit: int = 8) -> QuerySet[Report]:
    return (
        Report.objects.filter(village=village)
        .select_related("period", "reporter")
        .annotate(
            late=Case(When(late_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("-period__end", "period__kind")[:limit]
    )


def exception_requests_visible_to(user) -> QuerySet[ExceptionRequest]:
    """Exception requests (申请开放) of the villages in the user's jurisdiction."""
    return scope(
        ExceptionRequest.objects.select_related("village__township__county", "period", "requested_by"),
        user,
        township_path="village__township",
    )


def reports_waiting(user) -> QuerySet[Report]:
    """Submitted (or resubmitted) reports waiting for review in the user's jurisdiction, oldest first."""
    return (
        scope(
            Report.objects.select_related("village", "township__county", "period"),
            user,
            township_path="township",
        )
        .filter(status=Report.Status.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def requests_waiting(user) -> QuerySet[ExceptionRequest]:
    return (
        exception_requests_visible_to(user)
        .filter(state=ExceptionRequest.State.REQUESTED)
        .order_by("requested_at", "pk")
    )


def waiting_rows(user) -> QuerySet:
    """The primary keys of the reports and exception requests waiting for review (to be counted)."""
    reports = scope(Report.objects.order_by(), user, township_path="township").filter(
        status=Report.Status.SUBMITTED
    )
    requests = scope(ExceptionRequest.objects.order_by(), user, township_path="village__township").filter(
        state=ExceptionRequest.State.REQUESTED
    )
    return reports.values_list("pk").union(requests.values_list("pk"), all=True)


def waiting_count(user) -> int:
    """Reports and exception requests waiting, in one COUNT query."""
    return waiting_rows(user).count()


def open_request_for(*, village: Village, period: ReportingPeriod) -> ExceptionRequest | None:
    if period.pk is None:
        return None
    return (
        ExceptionRequest.objects.filter(
            village=village, period=period, state=ExceptionRequest.State.REQUESTED
        )
        .order_by("-requested_at")
        .first()
    )
