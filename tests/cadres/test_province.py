"""Cadre pages an admin reads across a province ([10/10] item 1): the 3512 totals start at the
counties (a county's name opens its townships and villages), and the admin's township filter is a
box for the township's code, or the chosen county's townships, instead of 3,111 options."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cadres.factories import EvaluationFactory
from tests.cadres.test_views import populate
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.helpers import row_starting, section

pytestmark = pytest.mark.django_db

KANGDING, LUDING = "513301000000", "513302000000"


@pytest.fixture
def luding():
    county = CountyFactory(code=LUDING, name="泸定县")
    VillageFactory(
        township=TownshipFactory(county=county, code="513302101000", name="泸桥镇"), name="泸桥示例村"
    )
    return county


def test_an_admins_3512_totals_list_the_counties_then_one_countys_townships(
    admin_client_, village, other_village, luding
):
    # 姑咱示例01村: three reserves, two of them returning migrants (3-5 and 1-2: met); 新都桥示例01村
    # and 泸桥示例村: none (too few).
    populate(village, 3)
    url = reverse("cadres:compliance")
    totals = section(admin_client_.get(url, {"year": 2026}).content.decode(), "各县（市）与合计")
    assert "姑咱镇" not in totals
    # county, villages, reserves, backgrounds, met, too few, too many, background missed
    assert row_starting(totals, "康定市") == ["康定市", "2", "3", "2", "1", "1", "0", "0"]
    assert row_starting(totals, "泸定县") == ["泸定县", "1", "0", "0", "0", "1", "0", "0"]
    assert row_starting(totals, "合计") == ["合计", "3", "3", "2", "1", "2", "0", "0"]
    assert f'href="?year=2026&amp;county={KANGDING}">康定市</a>' in totals
    one = admin_client_.get(url, {"year": 2026, "county": KANGDING}).content.decode()
    assert row_starting(section(one, "乡镇与全县合计"), "姑咱镇") == [
        "姑咱镇",
        "1",
        "3",
        "2",
        "1",
        "0",
        "0",
        "0",
    ]
    assert "泸桥示例村" not in one and "新都桥示例01村" in one


def test_a_county_officials_3512_totals_still_list_the_townships(
    official_client, village, other_village, luding
):
    page = official_client.get(reverse("cadres:compliance"), {"year": 2026}).content.decode()
    assert "姑咱镇" in section(page, "乡镇与全县合计") and "泸定县" not in page


def test_an_admin_types_a_township_code_on_the_evaluation_list(admin_client_, village, other_village, luding):
    EvaluationFactory(village=village, person__home_village=village, year=2025)
    EvaluationFactory(village=other_village, person__home_village=other_village, year=2025)
    page = admin_client_.get(reverse("cadres:evaluation_list")).content.decode()
    assert '<option value="513301101000"' not in page  # no option per township
    assert 'name="township"' in page
    chosen = admin_client_.get(reverse("cadres:evaluation_list"), {"township": "513301101000"})
    assert [e.village for e in chosen.context["object_list"]] == [village]


def test_an_admins_township_filter_follows_the_chosen_county(admin_client_, village, luding):
    page = admin_client_.get(
        reverse("cadres:compliance"), {"year": 2026, "county": KANGDING}
    ).content.decode()
    assert '<option value="513301101000"' in page and '<option value="513302101000"' not in page
