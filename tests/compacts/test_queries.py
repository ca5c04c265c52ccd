"""Query counts of every village compact page and export, pinned at two data sizes: the bound is
measured at the small size and the same bound must hold at the large one (an N+1 fails)."""

from __future__ import annotations

import datetime as dt

import pytest

from compacts.models import Kind
from tests.compacts.factories import CompactVersionFactory, resolved_matter
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def _data(township, village, n):
    """n more villages, each with n 村规民约 versions (one adopted by a matter) and a 文明公约."""
    villages = [village] + [
        VillageFactory(township=township, code=f"{township.code[:9]}{300 + k:03d}") for k in range(n)
    ]
    for v in villages:
        matter = resolved_matter(v, resolved_on=dt.date(2018, 1, 1))
        for k in range(n):
            CompactVersionFactory(
                village=v, adopted_on=dt.date(2018, 1, 1) + dt.timedelta(days=30 * k), matter=matter
            )
        CompactVersionFactory(village=v, kind=Kind.CIVILITY)
    return villages


def _pages(village):
    version = village.compact_versions.filter(kind=Kind.RULES).order_by("-adopted_on").first()
    return {
        "/village-rules/": 8,
        "/village-rules/?since=2019-01-01&kind=rules&status=revised": 8,
        "/village-rules/?export=csv": 4,
        "/village-rules/?since=2019-01-01&export=xlsx": 4,
        f"/village-rules/villages/{village.code}/": 6,
        f"/village-rules/versions/{version.public_id}/": 9,
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
    staff_client, township, village, size, django_assert_max_num_queries
):
    _data(township, village, size)
    pages = _pages(village)
    pages[f"/village-rules/villages/{village.code}/new/"] = 6
    _check(staff_client, pages, django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_every_page_runs_a_fixed_number_of_queries_for_an_official(
    official_client, township, village, size, django_assert_max_num_queries
):
    _data(township, village, size)
    # One more for a county official: the navigation counts the review queue.
    pages = {url: bound + 1 for url, bound in _pages(village).items()}
    _check(official_client, pages, django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_panels_run_one_query_each(official, township, village, size, django_assert_max_num_queries):
    """The village page's, the public board's and the dashboard's sections of this app (the pages
    themselves are pinned in tests/test_query_counts.py with every app's panels)."""
    from compacts import panels

    _data(township, village, size)
    with django_assert_max_num_queries(1, info="village panel"):
        panels.village_panel(village=village, user=official)
    with django_assert_max_num_queries(1, info="public panel"):
        template, context = panels.public_panel(village=village)
    assert [row["label"] for row in context["rows"]] == ["村规民约", "文明公约"]
    with django_assert_max_num_queries(1, info="dashboard panel"):
        template, context = panels.dashboard_panel(user=official, period=None)
    assert context["rows"][0].villages == size + 1
