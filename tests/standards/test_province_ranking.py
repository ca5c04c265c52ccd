"""An admin's ranking across a province ([10/10] item 1) ranks the counties first by the mean
total of their townships' confirmed reviews, from hand-made reviews; a county's name opens the
ranking of its townships. One county's officials see their townships as ever."""

from __future__ import annotations

from decimal import Decimal

import pytest

from standards import selectors
from standards.models import Review
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.standards.factories import ReviewFactory

pytestmark = pytest.mark.django_db

CONFIRMED = Review.State.CONFIRMED
KANGDING, LUDING = "513301000000", "513302000000"


def _branch(township):
    return VillageFactory(township=township).branches.get()


@pytest.fixture
def reviews(township, other_township):
    """康定市 2025: 姑咱镇 90 and 80, 新都桥镇 88 (all confirmed), a submitted 10 not counted:
    mean (90 + 80 + 88) / 3 = 86.00; 2024: 70 → change +16.00.
    泸定县 2025: 泸桥镇 87 → mean 87.00, first; no 2024 review → no change."""
    a, b = _branch(township), _branch(township)
    ReviewFactory(branch=a, year=2025, state=CONFIRMED, values=(90,) * 6)
    ReviewFactory(branch=b, year=2025, state=CONFIRMED, values=(85, 85, 60, 85, 85, 80))  # 480/6 = 80
    ReviewFactory(branch=b, year=2024, state=CONFIRMED, values=(70,) * 6)
    ReviewFactory(branch=_branch(township), year=2025, state=Review.State.SUBMITTED, values=(10,) * 6)
    ReviewFactory(branch=_branch(other_township), year=2025, state=CONFIRMED, values=(88,) * 6)
    luding = TownshipFactory(
        county=CountyFactory(code=LUDING, name="泸定县"), code="513302101000", name="泸桥镇"
    )
    ReviewFactory(branch=_branch(luding), year=2025, state=CONFIRMED, values=(87,) * 6)


def test_counties_rank_by_the_mean_total_of_their_confirmed_reviews(admin_user, reviews):
    rows = selectors.county_ranking(admin_user, year=2025)
    assert [(r.unit.name, r.rank, r.reviews, r.mean, r.change) for r in rows] == [
        ("泸定县", 1, 1, Decimal("87.00"), None),
        ("康定市", 2, 3, Decimal("86.00"), Decimal("16.00")),
    ]


def test_an_admins_ranking_lists_the_counties_then_one_countys_townships(admin_client_, reviews):
    page = admin_client_.get("/standards/ranking/", {"year": 2025}).content.decode()
    assert "姑咱镇" not in page and "泸桥镇" not in page
    assert f'href="?year=2025&amp;county={KANGDING}">康定市</a>' in page
    assert f'href="?year=2025&amp;county={KANGDING}">86.00</a>' in page
    one = admin_client_.get("/standards/ranking/", {"year": 2025, "county": KANGDING}).content.decode()
    assert "姑咱镇" in one and "新都桥镇" in one and "泸桥镇" not in one
    assert "/standards/reviews/?year=2025&amp;township=513301101000&amp;state=confirmed" in one
    assert admin_client_.get("/standards/ranking/", {"county": "513399000000"}).status_code == 404


def test_a_county_official_still_ranks_the_townships(official_client, reviews):
    page = official_client.get("/standards/ranking/", {"year": 2025}).content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page and "泸定县" not in page
