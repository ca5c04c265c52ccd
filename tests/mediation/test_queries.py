"""Query counts of every mediation page and export, pinned at two data sizes: the bound is measured
at the small size and the same bound must hold at the large one (an N+1 fails)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mediation.models import Category, Outcome
from tests.factories import TownshipFactory, VillageFactory
from tests.mediation.factories import DisputeFactory, FollowUpFactory, MemberFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
TODAY = timezone.localdate()


def _data(county, township, village, n):
    """n/3 + 1 more villages in each of two townships, each with a committee of three and n disputes
    of mixed categories and outcomes, some with follow-ups."""
    second = TownshipFactory(county=county, code="513301103000")
    villages = [village]
    villages += [
        VillageFactory(township=township, code=f"{township.code[:9]}{300 + k:03d}") for k in range(n // 3 + 1)
    ]
    villages += [
        VillageFactory(township=second, code=f"{second.code[:9]}{300 + k:03d}") for k in range(n // 3 + 1)
    ]
    categories = list(Category)
    for v in villages:
        chair = MemberFactory(committee__village=v, is_chair=True)
        MemberFactory(committee=chair.committee)
        MemberFactory(committee=chair.committee, end_date=dt.date(2024, 1, 1))
        for k in range(n):
            received = TODAY - dt.timedelta(days=5 + 13 * k)
            closed = {"outcome": Outcome.AGREEMENT, "closed_on": TODAY, "agreement_on": TODAY}
            extra = closed if k % 3 else {}
            dispute = DisputeFactory(
                village=v, mediator=chair, received_on=received, category=categories[k % 6], **extra
            )
            if k % 2:
                FollowUpFactory(dispute=dispute, visited_on=TODAY)
    return villages


def _pages(village, township):
    dispute = village.disputes.order_by("pk").first()
    closed = village.disputes.exclude(outcome=Outcome.OPEN).first()
    year = TODAY.year
    # Bounds: measured at size 3, plus one; the filtered list reads its rows only when some match.
    return {
        "/mediation/": 6,
        "/mediation/committees/": 7,
        "/mediation/committees/?export=csv": 4,
        f"/mediation/villages/{village.code}/": 12,
        "/mediation/disputes/": 9,
        f"/mediation/disputes/?township={township.code}&old_open=true&year={year}": 10,
        "/mediation/disputes/?export=csv": 4,
        "/mediation/disputes/?export=xlsx": 4,
        f"/mediation/disputes/{dispute.public_id}/": 8,
        f"/mediation/disputes/{closed.public_id}/": 8,
        f"/mediation/summary/?year={year}": 7,
        f"/mediation/summary/?year={year}&export=xlsx": 6,
    }


def _check(client, pages, assert_max):
    for url, bound in pages.items():
        with assert_max(bound, info=url):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


@pytest.mark.parametrize("size", SIZES)
def test_every_page_runs_a_fixed_number_of_queries_for_township_staff(
    staff_client, county, township, village, size, django_assert_max_num_queries
):
    _data(county, township, village, size)
    pages = _pages(village, township)
    pages["/mediation/disputes/new/"] = 6
    dispute = village.disputes.filter(outcome=Outcome.OPEN).first()
    pages[f"/mediation/disputes/{dispute.public_id}/edit/"] = 6
    pages[f"/mediation/disputes/{dispute.public_id}/close/"] = 5
    _check(staff_client, pages, django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_every_page_runs_a_fixed_number_of_queries_for_an_official(
    official_client, county, township, village, size, django_assert_max_num_queries
):
    _data(county, township, village, size)
    # One more for a county official: the navigation counts the review queue.
    pages = {url: bound + 1 for url, bound in _pages(village, township).items()}
    _check(official_client, pages, django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_panels_run_a_fixed_number_of_queries(
    staff, official, county, township, village, size, django_assert_max_num_queries
):
    """The sections on shared pages (the pages themselves are pinned in tests/test_query_counts.py)."""
    from governance.periods import parse_period
    from mediation import panels

    _data(county, township, village, size)
    period = parse_period(str(TODAY.year))
    for user in (staff, official):
        with django_assert_max_num_queries(2, info="village_panel"):
            panels.village_panel(village=village, user=user)
        # The open disputes older than 30 days, and their count once the list is full.
        with django_assert_max_num_queries(2, info="home_panel"):
            panels.home_panel(user=user)
        # The townships, and the counts per township, category and outcome.
        with django_assert_max_num_queries(2, info="dashboard_panel"):
            panels.dashboard_panel(user=user, period=period)
