"""Completeness (submitted / expected) and timeliness (on time / expected) per township and county,
DESIGN §5. On time = first submitted by the end of the due date, i.e. strictly before the period's
deadline (the local midnight after it); a report first submitted at that instant is late.

Expected figures are hand-counted from the data each test builds and written out as literals."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision.models import Kind, ReportingPeriod
from supervision.selectors import completeness, completeness_table, month_grid, reports_visible_to
from tests.factories import VillageFactory
from tests.helpers import row_starting
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, ReportFactory

ONE_SECOND = dt.timedelta(seconds=1)
# 2025年3月 is due 2025-04-05: its deadline is 2025-04-06 00:00:00 Asia/Shanghai.
DEADLINE = local(2025, 4, 6, 0, 0, 0)

pytestmark = pytest.mark.django_db


def _submitted(village, period, at):
    return ReportFactory(
        village=village, period=period, status="submitted", first_submitted_at=at, submitted_at=at
    )


@pytest.fixture
def setup(township, other_township, march):
    """Township: 4 villages (one reported at 23:59 on the due date, one at 00:01 the day after,
    one still a draft, one missing). Other township: 1 village reported early."""
    villages = [VillageFactory(township=township) for _ in range(4)]
    _submitted(villages[0], march, local(2025, 4, 5, 23, 59, 59))
    _submitted(villages[1], march, local(2025, 4, 6, 0, 1))
    ReportFactory(village=villages[2], period=march)
    _submitted(VillageFactory(township=other_township), march, local(2025, 4, 1))
    return villages


def test_completeness_and_timeliness_at_the_due_date_boundary(setup, official, march, township):
    rows = {row.code: row for row in completeness(user=official, period=march)}
    row = rows[township.code]
    assert (row.expected, row.submitted, row.on_time) == (4, 2, 1)


def test_the_county_total_sums_the_townships(setup, official, march):
    rows, total = completeness_table(user=official, period=march)
    assert total == {"expected": 5, "submitted": 3, "on_time": 2, "completeness": 60.0, "timeliness": 40.0}


def test_a_submission_at_2359_on_the_due_date_is_not_late_and_at_0001_is(setup, official, march):
    late = {r.village_id: r.late for r in reports_visible_to(official).filter(period=march)}
    assert late[setup[0].pk] is False
    assert late[setup[1].pk] is True
    assert late[setup[2].pk] is True  # a draft after the deadline is late


def test_a_returned_report_still_counts_as_submitted_on_time(township, march, official):
    village = VillageFactory(township=township)
    ReportFactory(
        village=village,
        period=march,
        status="returned",
        return_reason="补充",
        first_submitted_at=local(2025, 4, 1),
        submitted_at=local(2025, 4, 1),
    )
    row = next(r for r in completeness(user=official, period=march) if r.pk == township.pk)
    assert (row.submitted, row.on_time) == (1, 1)


def test_villages_that_ended_before_the_period_are_not_expected(township, march, official):
    VillageFactory(township=township, valid_to=dt.date(2024, 12, 31))
    VillageFactory(township=township)
    row = next(r for r in completeness(user=official, period=march) if r.pk == township.pk)
    assert row.expected == 1


def test_township_staff_see_only_their_township(setup, staff, march, township):
    assert [r.code for r in completeness(user=staff, period=march)] == [township.code]


def test_a_period_nobody_reported_for_yet_counts_zero(setup, official):
    period = ReportingPeriod.build(Kind.MONTHLY, 2025, 4)  # unsaved: nobody reported yet
    rows, total = completeness_table(user=official, period=period)
    assert total["submitted"] == 0 and total["expected"] == 5


@pytest.mark.parametrize("villages", [20, 300])
def test_the_county_table_is_one_query_at_any_size(
    township, official, march, villages, django_assert_max_num_queries
):
    for _ in range(villages):
        _submitted(VillageFactory(township=township), march, local(2025, 4, 1))
    with django_assert_max_num_queries(1):
        rows, total = completeness_table(user=official, period=march)
    assert total["submitted"] == villages


# --- the deadline instant ------------------------------------------------------------------------


@pytest.fixture
def around_the_deadline(township, march):
    """Three villages first submitting one second before, exactly at and one second after the deadline."""
    villages = {name: VillageFactory(township=township) for name in ("before", "at", "after")}
    _submitted(villages["before"], march, DEADLINE - ONE_SECOND)
    _submitted(villages["at"], march, DEADLINE)
    _submitted(villages["after"], march, DEADLINE + ONE_SECOND)
    return villages


def test_the_deadline_of_march_is_midnight_after_its_due_date(march):
    assert march.deadline == DEADLINE


def test_a_report_first_submitted_exactly_at_the_deadline_is_not_on_time_in_the_county_table(
    around_the_deadline, official, march, township
):
    row = next(r for r in completeness(user=official, period=march) if r.pk == township.pk)
    assert (row.submitted, row.on_time) == (3, 1), (
        "on time = first submitted strictly before the deadline: 23:59:59 counts, 00:00:00 does not"
    )


def test_a_report_first_submitted_exactly_at_the_deadline_is_late_in_the_list_grid_and_page(
    around_the_deadline, official, official_client, staff_client, march, township
):
    names = {village.pk: name for name, village in around_the_deadline.items()}
    late = {names[r.village_id]: r.late for r in reports_visible_to(official).filter(period=march)}
    assert late == {"before": False, "at": True, "after": True}, (
        "late = first submitted at or after the deadline"
    )
    grid = {names[row.village.pk]: row.status for row in month_grid(township=township, period=march)}
    assert grid == {"before": "submitted", "at": "late", "after": "late"}, "the grid follows the same rule"
    is_late = {
        name: village.supervision_reports.get().is_late for name, village in around_the_deadline.items()
    }
    assert is_late == {"before": False, "at": True, "after": True}, "Report.is_late follows the same rule"
    report = around_the_deadline["at"].supervision_reports.get()
    body = staff_client.get(reverse("supervision:report_detail", args=[report.public_id])).content.decode()
    assert "逾期提交" in body, "the report page calls a submission at the deadline late"


def test_the_county_table_and_the_lists_late_filter_agree_on_the_same_reports(
    around_the_deadline, official_client, township, other_township, march
):
    """Every way a report can stand at the deadline, in two townships: the table's on-time count must be
    the list's not-late submitted reports, and its late ones the list's late submitted reports."""
    ReportFactory(village=VillageFactory(township=township), period=march)  # draft: late, not submitted
    VillageFactory(township=township)  # missing
    ReportFactory(
        village=VillageFactory(township=other_township),
        period=march,
        status="returned",
        return_reason="补充",
        first_submitted_at=DEADLINE - ONE_SECOND,
        submitted_at=DEADLINE + dt.timedelta(days=3),
    )
    ReportFactory(
        village=VillageFactory(township=other_township),
        period=march,
        status="approved",
        first_submitted_at=DEADLINE,
        submitted_at=DEADLINE,
    )
    table = official_client.get(reverse("supervision:completeness"), {"period": "2025-03"}).context["rows"]
    for row in table:
        listed = {}
        for late in ("false", "true"):
            page = official_client.get(
                reverse("supervision:index"), {"period": "2025-03", "township": row.code, "late": late}
            )
            listed[late] = [r for r in page.context["object_list"] if r.first_submitted_at is not None]
        assert row.on_time == len(listed["false"]), f"{row.name}: on time in the table = not late in the list"
        assert row.submitted - row.on_time == len(listed["true"]), f"{row.name}: late submissions agree"
    assert [(r.name, r.submitted, r.on_time) for r in table] == [("姑咱镇", 3, 1), ("新都桥镇", 2, 1)]


def test_a_draft_is_late_only_once_its_deadline_has_passed(township, official, march):
    from django.utils import timezone

    today = timezone.localdate()
    current = PeriodFactory(kind=Kind.MONTHLY, year=today.year, number=today.month)  # due next month
    fresh = ReportFactory(village=VillageFactory(township=township), period=current)
    stale = ReportFactory(village=VillageFactory(township=township), period=march)
    late = {r.pk: r.late for r in reports_visible_to(official).filter(pk__in=[fresh.pk, stale.pk])}
    assert late == {fresh.pk: False, stale.pk: True}, "an unsubmitted report is late once the deadline passed"
    assert (fresh.is_late, stale.is_late) == (False, True)


# --- rates per township --------------------------------------------------------------------------


@pytest.fixture
def mixed(township, other_township, march):
    """姑咱镇: 5 villages: one on time, one late, one exactly at the deadline (late), one draft, one
    missing. 新都桥镇: 3 villages: two on time, one missing."""
    _submitted(VillageFactory(township=township), march, local(2025, 4, 1))
    _submitted(VillageFactory(township=township), march, local(2025, 4, 10))
    _submitted(VillageFactory(township=township), march, DEADLINE)
    ReportFactory(village=VillageFactory(township=township), period=march)
    VillageFactory(township=township)
    _submitted(VillageFactory(township=other_township), march, local(2025, 4, 2))
    _submitted(VillageFactory(township=other_township), march, DEADLINE - ONE_SECOND)
    VillageFactory(township=other_township)


# Hand-computed: rates are percentages of the villages EXPECTED to report, to one decimal.
#   姑咱镇   expected 5, submitted 3, on time 1: completeness 3/5 = 60.0, timeliness 1/5 = 20.0
#   新都桥镇 expected 3, submitted 2, on time 2: completeness 2/3 = 66.7, timeliness 2/3 = 66.7
#   county   expected 8, submitted 5, on time 3: completeness 5/8 = 62.5, timeliness 3/8 = 37.5
RATES = {"姑咱镇": (5, 3, 1, 60.0, 20.0), "新都桥镇": (3, 2, 2, 66.7, 66.7)}


def test_each_townships_rates_are_over_the_villages_expected_not_those_that_reported(mixed, official, march):
    rows, total = completeness_table(user=official, period=march)
    got = {r.name: (r.expected, r.submitted, r.on_time, r.completeness, r.timeliness) for r in rows}
    assert got == RATES, (
        "per township: completeness = submitted / expected, timeliness = on time / expected (DESIGN §5)"
    )
    assert total == {"expected": 8, "submitted": 5, "on_time": 3, "completeness": 62.5, "timeliness": 37.5}


def test_the_county_table_page_shows_each_townships_figures(mixed, official_client):
    body = official_client.get(reverse("supervision:completeness"), {"period": "2025-03"}).content.decode()
    # township, expected, submitted, completeness, on time, timeliness
    rule = "completeness = submitted / expected, timeliness = on time / expected (DESIGN §5)"
    assert row_starting(body, "姑咱镇") == ["姑咱镇", "5", "3", "60.0%", "1", "20.0%"], rule
    assert row_starting(body, "新都桥镇") == ["新都桥镇", "3", "2", "66.7%", "2", "66.7%"], rule
    assert row_starting(body, "合计") == ["合计", "8", "5", "62.5%", "3", "37.5%"], rule


def test_a_township_with_no_village_expected_has_no_rate(township, official, march):
    row = next(r for r in completeness_table(user=official, period=march)[0] if r.pk == township.pk)
    assert (row.expected, row.completeness, row.timeliness) == (0, None, None)


# --- which villages are expected -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "expected"),
    [
        (dt.date(2000, 1, 1), dt.date(2025, 3, 31), 1),  # ends on the period's last day: still expected
        (dt.date(2000, 1, 1), dt.date(2025, 3, 30), 0),  # ended the day before
        (dt.date(2025, 3, 31), None, 1),  # created on the period's last day
        (dt.date(2025, 4, 1), None, 0),  # created after the period
    ],
)
def test_a_village_is_expected_when_it_exists_on_the_periods_last_day(
    township, march, official, valid_from, valid_to, expected
):
    VillageFactory(township=township, valid_from=valid_from, valid_to=valid_to)
    row = next(r for r in completeness(user=official, period=march) if r.pk == township.pk)
    assert row.expected == expected
