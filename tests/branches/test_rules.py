"""Seasons and periods of branches (branches/rules.py): activity by month, including a season that
crosses the year end, and the SQL filter agreeing with the Python rule."""

from __future__ import annotations

import datetime as dt

import pytest

from branches import rules
from tests.factories import PartyBranchFactory
from villages.models import PartyBranch


@pytest.mark.parametrize(
    ("month", "active"),
    [(4, False), (5, True), (6, True), (7, True), (8, False), (1, False), (12, False)],
)
def test_a_may_to_july_season_is_active_only_from_may_to_july(month, active):
    assert rules.season_contains(5, 7, month) is active


@pytest.mark.parametrize(
    ("month", "active"),
    [(10, False), (11, True), (12, True), (1, True), (2, True), (3, False), (6, False)],
)
def test_a_november_to_february_season_crosses_the_year_end(month, active):
    assert rules.season_contains(11, 2, month) is active


def test_no_season_is_every_month_and_a_one_month_season_is_that_month():
    assert all(rules.season_contains(None, None, m) for m in range(1, 13))
    assert [m for m in range(1, 13) if rules.season_contains(6, 6, m)] == [6]


def test_a_branch_is_active_within_its_dates_and_season():
    branch = PartyBranch(
        kind="seasonal_mobile",
        start_date=dt.date(2024, 6, 10),
        end_date=dt.date(2026, 6, 20),
        season_start_month=5,
        season_end_month=7,
    )
    assert not rules.active_on(branch, dt.date(2024, 6, 9))  # before it was founded
    assert rules.active_on(branch, dt.date(2024, 6, 10))
    assert not rules.active_on(branch, dt.date(2025, 4, 30))
    assert rules.active_on(branch, dt.date(2025, 5, 1))
    assert rules.active_on(branch, dt.date(2025, 7, 31))
    assert not rules.active_on(branch, dt.date(2025, 8, 1))
    assert rules.active_on(branch, dt.date(2026, 6, 20))
    assert not rules.active_on(branch, dt.date(2026, 6, 21))  # ended


@pytest.mark.parametrize(
    ("start", "end", "crosses", "errors"),
    [
        (5, 7, False, {}),
        (7, 5, False, {"season_end_month": [rules.SEASON_ENDS_BEFORE_START]}),
        (11, 2, True, {}),
        (5, 7, True, {"season_crosses_year": [rules.SEASON_DOES_NOT_CROSS]}),
        (5, None, False, {"season_end_month": [rules.SEASON_INCOMPLETE]}),
        (None, 7, False, {"season_start_month": [rules.SEASON_INCOMPLETE]}),
        (0, 7, False, {"season_start_month": [rules.MONTH_OUT_OF_RANGE]}),
        (5, 13, False, {"season_end_month": [rules.MONTH_OUT_OF_RANGE]}),
    ],
)
def test_season_errors(start, end, crosses, errors):
    found = rules.season_errors(kind="youth_talent", start_month=start, end_month=end, crosses_year=crosses)
    assert found == errors


def test_a_seasonal_branch_needs_a_season():
    found = rules.season_errors(kind="seasonal_mobile", start_month=None, end_month=None, crosses_year=False)
    assert found == {"season_start_month": [rules.SEASON_REQUIRED]}


@pytest.mark.django_db
def test_the_month_filter_in_sql_agrees_with_the_rule(township):
    branches = [
        PartyBranchFactory(
            township=township, kind="seasonal_mobile", season_start_month=5, season_end_month=7
        ),
        PartyBranchFactory(
            township=township,
            kind="migrant_worker",
            season_start_month=12,
            season_end_month=2,
            season_crosses_year=True,
        ),
        PartyBranchFactory(township=township, kind="youth_talent"),
        PartyBranchFactory(
            township=township,
            kind="youth_talent",
            start_date=dt.date(2025, 3, 15),
            end_date=dt.date(2025, 9, 2),
        ),
    ]
    ids = [b.pk for b in branches]
    for year in (2025, 2026):
        for month in range(1, 13):
            first, last = rules.month_bounds(year, month)
            expected = {
                b.pk
                for b in branches
                if any(
                    rules.active_on(b, first + dt.timedelta(days=d)) for d in range((last - first).days + 1)
                )
            }
            found = set(
                PartyBranch.objects.filter(rules.active_in_month_q(year, month), pk__in=ids).values_list(
                    "pk", flat=True
                )
            )
            assert found == expected, (year, month)
    # By hand: in June 2025 the May-July, the all-year and the dated branch; in January 2026 the
    # winter branch and the all-year one; in August 2025 the all-year and the dated one.
    june = set(
        PartyBranch.objects.filter(rules.active_in_month_q(2025, 6), pk__in=ids).values_list("pk", flat=True)
    )
    assert june == {ids[0], ids[2], ids[3]}
    january = set(
        PartyBranch.objects.filter(rules.active_in_month_q(2026, 1), pk__in=ids).values_list("pk", flat=True)
    )
    assert january == {ids[1], ids[2]}
