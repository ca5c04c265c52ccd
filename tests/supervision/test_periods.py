import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from supervision.models import Kind, ReportingPeriod, ReportingPolicy
from supervision.selectors import latest_due_month, recent_months
from supervision.services import REPORT_EXISTS, report_create
from tests.supervision.conftest import local
from tests.supervision.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_default_due_dates_follow_the_design_calendar():
    assert ReportingPeriod.build(Kind.MONTHLY, 2025, 3).due_date == dt.date(2025, 4, 5)
    assert ReportingPeriod.build(Kind.MONTHLY, 2025, 12).due_date == dt.date(2026, 1, 5)
    assert ReportingPeriod.build(Kind.QUARTERLY, 2025, 4).due_date == dt.date(2026, 1, 10)
    assert ReportingPeriod.build(Kind.QUARTERLY, 2025, 1).due_date == dt.date(2025, 4, 10)
    assert ReportingPeriod.build(Kind.ANNUAL, 2025, 1).due_date == dt.date(2026, 1, 31)


def test_the_deadline_is_the_local_midnight_after_the_due_date():
    period = ReportingPeriod.build(Kind.MONTHLY, 2025, 3)
    assert period.deadline == local(2025, 4, 6, 0, 0)


def test_an_admin_edited_policy_moves_new_periods():
    ReportingPolicy.objects.create(monthly_due_day=10, lock_after_days=5)
    period = ReportingPeriod.build(Kind.MONTHLY, 2025, 3)
    assert period.due_date == dt.date(2025, 4, 10)
    assert period.locks_on == dt.date(2025, 4, 15)


def test_an_impossible_annual_due_date_is_rejected():
    policy = ReportingPolicy(annual_due_month=2, annual_due_day=30)
    with pytest.raises(ValidationError):
        policy.full_clean()


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        ("2026-10", ("monthly", 2026, 10)),
        ("2026-Q3", ("quarterly", 2026, 3)),
        ("2026", ("annual", 2026, 1)),
        ("2026-13", None),
        ("2026-Q5", None),
        ("abc", None),
        ("", None),
    ],
)
def test_period_keys_parse_or_are_refused(key, parsed):
    assert ReportingPeriod.parse_key(key) == parsed


def test_the_database_refuses_a_second_report_for_the_same_village_and_period(report):
    with pytest.raises(IntegrityError):
        ReportFactory(village=report.village, period=report.period)


def test_the_service_refuses_a_second_report_with_a_clear_message(report, staff):
    with pytest.raises(ValidationError) as exc:
        report_create(
            village=report.village, kind="monthly", year=2025, number=3, user=staff, today=dt.date(2025, 4, 1)
        )
    assert exc.value.messages == [REPORT_EXISTS % {"period": "2025年3月", "kind": "月报"}]


def test_a_monthly_and_a_quarterly_report_of_the_same_village_may_coexist(report, staff):
    quarterly = report_create(
        village=report.village, kind="quarterly", year=2025, number=1, user=staff, today=dt.date(2025, 4, 1)
    )
    assert quarterly.period.kind == "quarterly"


def test_moving_a_due_date_moves_the_deadline(march):
    march.due_date = dt.date(2025, 4, 8)
    march.save()
    march.refresh_from_db()
    assert march.deadline == local(2025, 4, 9, 0, 0)


def test_a_lock_date_before_the_due_date_is_refused(march):
    march.locks_on = dt.date(2025, 4, 1)
    with pytest.raises(ValidationError):
        march.full_clean(exclude=["deadline"])


@pytest.mark.parametrize(
    "page",
    ["report", "reportingperiod", "reportingpolicy", "rectification", "lockexception", "reminder"],
)
def test_the_admin_lists_every_supervision_model(admin_client_, report, page):
    assert admin_client_.get(f"/admin/supervision/{page}/").status_code == 200


def test_admins_edit_the_reporting_calendar_in_the_admin(admin_client_):
    """A default row from a date: the periods starting then take it, earlier ones keep theirs."""
    today = timezone.localdate()
    start = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)  # the 1st of next month
    fields = {
        "monthly_due_day": 8,
        "quarterly_due_day": 12,
        "annual_due_month": 2,
        "annual_due_day": 15,
        "lock_after_days": 20,
        "remind_before_days": 3,
        "escalate_after_days": 10,
        "reminder_lookback_days": 60,
    }
    response = admin_client_.post(
        "/admin/supervision/reportingpolicy/add/", {**fields, "effective_from": start.isoformat()}
    )
    assert response.status_code == 302
    next_month = ReportingPeriod.build(Kind.MONTHLY, start.year, start.month)
    assert next_month.due_date == (next_month.end + dt.timedelta(days=1)).replace(day=8)
    assert next_month.locks_on == next_month.due_date + dt.timedelta(days=20)
    assert ReportingPeriod.build(Kind.ANNUAL, start.year + 1, 1).due_date == dt.date(start.year + 2, 2, 15)
    this_month = ReportingPeriod.build(Kind.MONTHLY, today.year, today.month)
    assert this_month.due_date.day == 5  # DESIGN's default, untouched
    # Backdated: refused with the message, nothing saved.
    response = admin_client_.post(
        "/admin/supervision/reportingpolicy/add/",
        {**fields, "effective_from": (today - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "生效日期不能早于今天" in response.content.decode()
    assert ReportingPolicy.objects.count() == 1


D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end"),
    [
        (Kind.MONTHLY, 2024, 2, D(2024, 2, 1), D(2024, 2, 29)),  # leap February
        (Kind.MONTHLY, 2025, 2, D(2025, 2, 1), D(2025, 2, 28)),
        (Kind.MONTHLY, 2025, 4, D(2025, 4, 1), D(2025, 4, 30)),
        (Kind.MONTHLY, 2025, 12, D(2025, 12, 1), D(2025, 12, 31)),
        (Kind.QUARTERLY, 2025, 1, D(2025, 1, 1), D(2025, 3, 31)),
        (Kind.QUARTERLY, 2025, 2, D(2025, 4, 1), D(2025, 6, 30)),
        (Kind.QUARTERLY, 2025, 3, D(2025, 7, 1), D(2025, 9, 30)),
        (Kind.QUARTERLY, 2025, 4, D(2025, 10, 1), D(2025, 12, 31)),
        (Kind.ANNUAL, 2025, 1, D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_periods_cover_their_calendar_span(kind, year, number, start, end):
    assert ReportingPeriod.bounds(kind, year, number) == (start, end)


@pytest.mark.parametrize(
    ("key", "due", "locks_on"),
    [
        ("2024-02", D(2024, 3, 5), D(2024, 4, 4)),  # 30 days after 5 March: 26 + 4
        ("2025-01", D(2025, 2, 5), D(2025, 3, 7)),  # 30 days after 5 February 2025: 23 + 7
        ("2025-Q3", D(2025, 10, 10), D(2025, 11, 9)),
        ("2024", D(2025, 1, 31), D(2025, 3, 2)),  # 30 days after 31 January 2025: 28 + 2
    ],
)
def test_due_and_lock_dates_by_the_default_calendar(key, due, locks_on):
    period = ReportingPeriod.build(*ReportingPeriod.parse_key(key))
    assert (period.due_date, period.locks_on) == (due, locks_on)


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (D(2026, 1, 1), (2025, 12)),  # on New Year's Day December is being collected
        (D(2026, 1, 31), (2025, 12)),
        (D(2026, 3, 1), (2026, 2)),
        (D(2024, 3, 31), (2024, 2)),
    ],
)
def test_the_month_being_collected_is_the_previous_calendar_month(today, month):
    assert latest_due_month(today) == month


def test_the_health_matrix_covers_the_twelve_months_before_today_over_the_year_end():
    # Today 2026-02-10: January 2026 is being collected; the eleven months before it go back to February 2025.
    months = [(2025, m) for m in range(2, 13)] + [(2026, 1)]
    assert recent_months(D(2026, 2, 10)) == months
