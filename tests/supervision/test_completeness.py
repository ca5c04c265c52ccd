import datetime as dt

import pytest

from supervision.models import Kind, ReportingPeriod
from supervision.selectors import completeness, completeness_table, reports_visible_to
from tests.factories import VillageFactory
from tests.supervision.conftest import local
from tests.supervision.factories import ReportFactory

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
