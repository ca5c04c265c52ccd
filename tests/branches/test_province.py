"""An admin's branch summary across a province ([10/10] item 1): a row per county first (3,000
township rows were unreadable and over the page's time budget); a county's name opens its
townships, and every county figure leads to the register filtered to that county, which lists the
same branches. Expected counts are the branches the fixtures make, counted by hand."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import CountyFactory, PartyBranchFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db

KANGDING, LUDING = "513301000000", "513302000000"


@pytest.fixture
def province(township, other_township, village):
    """康定市: 姑咱镇 owns its village's branch, a seasonal and a youth-talent branch; 新都桥镇 a
    seasonal one. 泸定县: one village (with its village branch) in 泸桥镇."""
    PartyBranchFactory(
        township=township,
        kind="seasonal_mobile",
        name="甲虫草山流动党支部",
        season_start_month=5,
        season_end_month=7,
    )
    PartyBranchFactory(township=township, kind="youth_talent", name="乙青年人才党支部")
    PartyBranchFactory(
        township=other_township,
        kind="seasonal_mobile",
        name="丙虫草山流动党支部",
        season_start_month=6,
        season_end_month=8,
    )
    luding = CountyFactory(code=LUDING, name="泸定县")
    VillageFactory(
        township=TownshipFactory(county=luding, code="513302101000", name="泸桥镇"), name="泸桥示例村"
    )


def _names(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}


def test_an_admin_sees_a_row_per_county_with_figures_that_lead_to_the_register(admin_client_, province):
    page = admin_client_.get("/branches/summary/").content.decode()
    assert "姑咱镇" not in page and "泸桥镇" not in page  # no township row at the first level
    assert f'href="?county={KANGDING}">康定市</a>' in page
    assert f'href="?county={LUDING}">泸定县</a>' in page
    # 康定市: 2 seasonal (甲, 丙), 1 youth talent, 1 village branch = 4; 泸定县: its village branch.
    assert f'?county={KANGDING}&amp;kind=seasonal_mobile&amp;status=current">2</a>' in page
    assert f'?county={KANGDING}&amp;kind=youth_talent&amp;status=current">1</a>' in page
    assert f'?county={KANGDING}&amp;status=current">4</a>' in page
    assert f'?county={LUDING}&amp;kind=village&amp;status=current">1</a>' in page
    assert '?status=current">5</a>' in page  # the footer: every branch the admin reads
    listed = admin_client_.get(f"/branches/?county={KANGDING}&kind=seasonal_mobile&status=current&export=csv")
    assert _names(listed) == {"甲虫草山流动党支部", "丙虫草山流动党支部"}
    assert len(_names(admin_client_.get(f"/branches/?county={KANGDING}&status=current&export=csv"))) == 4


def test_a_countys_name_opens_its_townships(admin_client_, province):
    page = admin_client_.get("/branches/summary/", {"county": KANGDING}).content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page and "泸桥镇" not in page
    assert '?township=513301101000&amp;status=current">3</a>' in page  # 甲, 乙 and the village branch
    assert f'?county={KANGDING}&amp;status=current">4</a>' in page  # the footer: the county's
    assert admin_client_.get("/branches/summary/", {"county": "513399000000"}).status_code == 404


def test_a_county_official_still_sees_every_township(official_client, province):
    page = official_client.get("/branches/summary/").content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page and "泸定县" not in page
    assert '?township=513301101000&amp;status=current">3</a>' in page
