"""Township ranking from hand-made reviews: the mean total of confirmed reviews, the change
against the previous year, the lowest areas, and links to the rows behind each figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from standards import selectors
from standards.models import Area, Review
from tests.factories import VillageFactory
from tests.standards.factories import ReviewFactory

pytestmark = pytest.mark.django_db

CONFIRMED = Review.State.CONFIRMED


def _branch(township):
    return VillageFactory(township=township).branches.get()


@pytest.fixture
def reviews(township, other_township):
    """姑咱镇 2025: totals 90 and 80 confirmed (mean 85), one submitted 10 (not counted); 2024: 70.
    新都桥镇 2025: 88 confirmed; 2024: 90. 组织生活 is the lowest area in 2025."""
    a, b, c = _branch(township), _branch(township), _branch(township)
    ReviewFactory(branch=a, year=2025, state=CONFIRMED, values=(90, 90, 90, 90, 90, 90))
    ReviewFactory(branch=b, year=2025, state=CONFIRMED, values=(85, 85, 60, 85, 85, 80))  # 480/6 = 80
    ReviewFactory(branch=c, year=2025, state=Review.State.SUBMITTED, values=(10,) * 6)
    ReviewFactory(branch=a, year=2024, state=CONFIRMED, values=(70,) * 6)
    d = _branch(other_township)
    ReviewFactory(branch=d, year=2025, state=CONFIRMED, values=(88, 88, 88, 88, 88, 88))
    ReviewFactory(branch=d, year=2024, state=CONFIRMED, values=(90,) * 6)
    return a, b, c, d


def test_townships_rank_by_the_mean_total_of_confirmed_reviews(official, township, other_township, reviews):
    rows = selectors.township_ranking(official, year=2025)
    first, second = rows[0], rows[1]
    assert (first.township, first.rank, first.reviews, first.mean) == (other_township, 1, 1, Decimal("88.00"))
    assert (second.township, second.rank, second.reviews, second.mean) == (township, 2, 2, Decimal("85.00"))
    # Change against 2024: 88 - 90 = -2; 85 - 70 = +15.
    assert first.change == Decimal("-2.00")
    assert second.change == Decimal("15.00")


def test_a_township_without_confirmed_reviews_has_no_rank_and_no_change(official, township, reviews):
    rows = selectors.township_ranking(official, year=2024)
    by_township = {row.township: row for row in rows}
    assert by_township[township].mean == Decimal("70.00") and by_township[township].change is None


def test_the_lowest_areas_county_wide_come_first(official, reviews):
    rows = selectors.area_means(official, year=2025)
    area, mean, count = rows[0]
    # 组织生活: (90 + 60 + 88) / 3 = 79.33
    assert (area, mean, count) == (Area.LIFE, Decimal("79.33"), 3)
    assert {r[0] for r in rows} == set(Area)


def test_every_figure_links_to_the_reviews_behind_it(official_client, township, reviews):
    html = official_client.get("/standards/ranking/?year=2025").content.decode()
    link = f"/standards/reviews/?year=2025&amp;township={township.code}&amp;state=confirmed"
    assert link in html
    assert f"/standards/reviews/?year=2024&amp;township={township.code}&amp;state=confirmed" in html
    assert "/standards/reviews/?year=2025&amp;state=confirmed&amp;area=life" in html
    # The rows behind 姑咱镇's 85.00: exactly its two confirmed reviews of 2025.
    behind = official_client.get(f"/standards/reviews/?year=2025&township={township.code}&state=confirmed")
    assert "共 2 份考评" in behind.content.decode()


def test_a_township_user_sees_only_their_township_in_the_ranking(staff, township, reviews):
    rows = selectors.township_ranking(staff, year=2025)
    assert [row.township for row in rows] == [township]


def test_an_unreadable_year_is_a_400_not_a_crash(official_client):
    assert official_client.get("/standards/ranking/?year=20x5").status_code == 400
