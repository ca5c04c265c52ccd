"""Per-county reporting calendars with effective dates (issue item 5): each county's reports are
judged by its own due date, and a calendar change never rewrites the timeliness of a report made."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from supervision import services
from supervision.models import Kind, PeriodDeadline, Report, ReportingPeriod, ReportingPolicy
from supervision.selectors import completeness, reports_visible_to
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.supervision.conftest import local
from tests.supervision.factories import ReportFactory

pytestmark = pytest.mark.django_db

SINCE = dt.date(2025, 1, 1)  # the second county's calendar applied from then (set up as history)


@pytest.fixture
def county_b(db):
    """泸定县 with its own calendar: monthly reports due on the 10th, locked 5 days later."""
    county = CountyFactory(code="513322000000", name="泸定县")
    ReportingPolicy.objects.create(county=county, effective_from=SINCE, monthly_due_day=10, lock_after_days=5)
    return county


@pytest.fixture
def village_b(county_b):
    township = TownshipFactory(county=county_b, code="513322100000", name="泸桥镇")
    return VillageFactory(township=township, code="513322100201", name="泸桥示例01村")


@pytest.fixture
def march_2025(county_b):
    """Created once county B's calendar exists: the default dates plus B's own row."""
    return services.period_ensure(kind=Kind.MONTHLY, year=2025, number=3)


def _submitted(village, period, at):
    report = ReportFactory(village=village, period=period)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUBMITTED, first_submitted_at=at, submitted_at=at
    )
    return report


def _late(admin_user, report) -> bool:
    return reports_visible_to(admin_user).get(pk=report.pk).late


def test_a_period_keeps_each_countys_due_and_lock_dates(march_2025, county, county_b):
    assert (march_2025.due_date, march_2025.locks_on) == (dt.date(2025, 4, 5), dt.date(2025, 5, 5))
    own = PeriodDeadline.objects.get(period=march_2025, county=county_b)
    assert (own.due_date, own.locks_on) == (dt.date(2025, 4, 10), dt.date(2025, 4, 15))
    assert not PeriodDeadline.objects.filter(county=county).exists()  # the default county follows the period


@pytest.mark.parametrize(
    ("at", "late_a", "late_b"),
    [
        (local(2025, 4, 5, 23, 59, 59), False, False),  # A's last second
        (local(2025, 4, 6, 0, 0, 0), True, False),  # A's first late second, B still on time
        (local(2025, 4, 10, 23, 59, 59), True, False),  # B's last second
        (local(2025, 4, 11, 0, 0, 0), True, True),  # B's first late second
    ],
)
def test_two_counties_judge_the_same_submission_by_their_own_calendar(
    march_2025, village, village_b, admin_user, at, late_a, late_b
):
    report_a = _submitted(village, march_2025, at)
    report_b = _submitted(village_b, march_2025, at)
    assert _late(admin_user, report_a) is late_a
    assert _late(admin_user, report_b) is late_b
    rows = {t.code: t for t in completeness(user=admin_user, period=march_2025)}
    assert rows[village.township.code].on_time == (0 if late_a else 1)
    assert rows[village_b.township.code].on_time == (0 if late_b else 1)


def test_completeness_is_one_query_whatever_the_number_of_counties(
    march_2025, village, village_b, admin_user, django_assert_num_queries
):
    _submitted(village, march_2025, local(2025, 4, 7))
    _submitted(village_b, march_2025, local(2025, 4, 7))
    with django_assert_num_queries(1):
        rows = list(completeness(user=admin_user, period=march_2025))
    assert sorted((r.code, r.submitted, r.on_time) for r in rows if r.submitted) == [
        ("513301101000", 1, 0),
        ("513322100000", 1, 1),
    ]


def test_the_lock_date_is_the_countys(march_2025, village, village_b):
    day = dt.date(2025, 4, 16)  # after B's lock (04-15), before A's (05-05)
    assert services.period_lock_reason(village=village, period=march_2025, today=day) is None
    assert services.period_lock_reason(village=village_b, period=march_2025, today=day)
    assert (
        services.period_lock_reason(village=village_b, period=march_2025, today=dt.date(2025, 4, 15)) is None
    )


def test_a_report_due_under_the_old_calendar_keeps_its_timeliness(march_2025, village, official, admin_user):
    report = _submitted(village, march_2025, local(2025, 4, 7))  # two days after the 5th: late
    assert _late(admin_user, report)
    today = timezone.localdate()
    services.policy_schedule(user=official, county=official.county, effective_from=today, monthly_due_day=20)
    assert _late(admin_user, report)  # still judged by the 5th
    assert not PeriodDeadline.objects.filter(period=march_2025, county=official.county).exists()
    # Periods starting from the change take the new day.
    start = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    later = services.period_ensure(kind=Kind.MONTHLY, year=start.year, number=start.month)
    assert later.for_county(official.county_id).due_date.day == 20
    assert later.due_date.day == 5  # the default, for the other counties


def test_a_change_into_a_period_already_reported_is_refused(
    village, village_b, official, county_b, admin_user
):
    today = timezone.localdate()
    start = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    period = services.period_ensure(kind=Kind.MONTHLY, year=start.year, number=start.month)
    ReportFactory(village=village, period=period)  # a report made already (e.g. typed early)
    with pytest.raises(ValidationError) as caught:
        services.policy_schedule(
            user=official, county=official.county, effective_from=start, monthly_due_day=20
        )
    assert "已有报告" in caught.value.message_dict["effective_from"][0]
    assert not ReportingPolicy.objects.filter(county=official.county).exists()
    # The other county, without a report in it, may change it: its own dates are written.
    services.policy_schedule(user=admin_user, county=county_b, effective_from=start, monthly_due_day=12)
    assert period.for_county(county_b.pk).due_date == (period.end + dt.timedelta(days=1)).replace(day=12)


@pytest.mark.parametrize("days", [-1, -30])
def test_backdating_is_refused(official, days):
    day = timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError) as caught:
        services.policy_schedule(
            user=official, county=official.county, effective_from=day, monthly_due_day=20
        )
    assert "不能早于今天" in caught.value.message_dict["effective_from"][0]
    assert not ReportingPolicy.objects.exists()


def test_the_row_in_force_is_the_latest_of_the_county_else_the_default(county, county_b):
    today = timezone.localdate()
    ReportingPolicy.objects.create(effective_from=SINCE, monthly_due_day=7)  # default from 2025
    ReportingPolicy.objects.create(
        county=county_b, effective_from=today + dt.timedelta(days=1), monthly_due_day=15
    )
    assert ReportingPolicy.effective(county, on=today).monthly_due_day == 7
    assert ReportingPolicy.effective(county_b, on=today).monthly_due_day == 10
    assert ReportingPolicy.effective(county_b, on=today + dt.timedelta(days=1)).monthly_due_day == 15
    assert ReportingPolicy.effective(county, on=dt.date(2024, 12, 31)).monthly_due_day == 5  # DESIGN's
    assert ReportingPeriod.build(Kind.MONTHLY, 2025, 2).due_date == dt.date(2025, 3, 7)


def test_two_first_reports_at_once_share_the_period_row(monkeypatch, county_b):
    """The first reports of a period arrive together (month end): the request that finds the row
    made by another one meanwhile uses it, instead of a 409 for the clerk (ops fault test)."""
    made = services.period_ensure(kind=Kind.MONTHLY, year=2025, number=4)
    real_filter = ReportingPeriod.objects.filter

    class NotYetSeen:
        """What the late request read before the other one committed: no row."""

        def first(self):
            return None

    reads = []

    def first_read_misses(**lookup):
        reads.append(lookup)
        return NotYetSeen() if len(reads) == 1 else real_filter(**lookup)

    monkeypatch.setattr(ReportingPeriod.objects, "filter", first_read_misses)
    again = services.period_ensure(kind=Kind.MONTHLY, year=2025, number=4)
    monkeypatch.setattr(ReportingPeriod.objects, "filter", real_filter)
    assert again.pk == made.pk
    assert ReportingPeriod.objects.filter(kind=Kind.MONTHLY, year=2025, number=4).count() == 1
