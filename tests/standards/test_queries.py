"""Query counts of every 六个标准化 list, page and export, pinned at two data sizes: the bound is
measured at the small size and the same bound must hold at the large one (an N+1 fails)."""

from __future__ import annotations

import pytest

from standards.models import Area, Review
from tests.factories import TownshipFactory, VillageFactory
from tests.standards.factories import AdoptionFactory, ReviewFactory, RuleFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def _data(county, township, village, n):
    """n rules per area, n more villages (in two townships) each adopting every rule, and a
    confirmed review of every branch for two years."""
    rules = [RuleFactory(county=county, area=area) for area in Area for _ in range(n // 3 + 1)]
    second = TownshipFactory(county=county, code="513301103000")
    villages = [village]
    villages += [
        VillageFactory(township=township, code=f"{township.code[:9]}{300 + k:03d}") for k in range(n)
    ]
    villages += [VillageFactory(township=second, code=f"{second.code[:9]}{300 + k:03d}") for k in range(n)]
    for v in villages:
        for rule in rules[: 6 + n // 3]:
            AdoptionFactory(village=v, rule=rule)
        for year in (2024, 2025):
            ReviewFactory(branch=v.branches.get(), year=year, state=Review.State.CONFIRMED)
    return villages


def _pages(village, township):
    adoption = village.standard_adoptions.first()
    review = village.branches.get().standard_reviews.first()
    rule = adoption.rule
    return {
        "/standards/": 8,
        "/standards/rules/": 6,
        "/standards/rules/?export=csv": 4,
        "/standards/rules/?export=xlsx": 4,
        f"/standards/rules/{rule.public_id}/": 7,
        "/standards/adoptions/": 7,
        "/standards/adoptions/?export=csv": 4,
        "/standards/adoptions/?export=xlsx": 4,
        f"/standards/adoptions/{adoption.public_id}/": 7,
        "/standards/reviews/": 7,
        "/standards/reviews/?area=life&below=90": 7,
        "/standards/reviews/?export=csv": 4,
        "/standards/reviews/?export=xlsx": 4,
        f"/standards/reviews/{review.public_id}/": 6,
        "/standards/compliance/": 6,
        "/standards/compliance/?export=csv": 6,
        f"/standards/compliance/?township={township.code}": 7,
        f"/standards/compliance/?township={township.code}&export=xlsx": 7,
        f"/standards/villages/{village.code}/": 8,
        "/standards/ranking/?year=2025": 6,
    }


def _check(client, pages, assert_max):
    for url, bound in pages.items():
        with assert_max(bound, info=url):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


@pytest.mark.parametrize("size", SIZES)
def test_every_page_runs_a_fixed_number_of_queries_for_an_official(
    official_client, county, township, village, size, django_assert_max_num_queries
):
    _data(county, township, village, size)
    # One more for a county official: the navigation counts the review queue (governance/review.py).
    # A page that renders no navigation (an export) keeps one query of slack.
    pages = {url: bound + 1 for url, bound in _pages(village, township).items()}
    _check(official_client, pages, django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_every_page_runs_a_fixed_number_of_queries_for_township_staff(
    staff_client, county, township, village, size, django_assert_max_num_queries
):
    _data(county, township, village, size)
    pages = _pages(village, township)
    pages["/standards/reviews/new/"] = 6
    # Township staff start at their township's villages (one more query than the townships).
    pages["/standards/compliance/"] = 7
    pages["/standards/compliance/?export=csv"] = 7
    _check(staff_client, pages, django_assert_max_num_queries)
