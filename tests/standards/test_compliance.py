"""Compliance = adopted / catalogue (DESIGN §3), worked by hand: 18 rules, 3 per area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from standards import selectors
from standards.models import Area
from tests.conftest import _client_for
from tests.factories import TownshipFactory, VillageFactory
from tests.standards.factories import AdoptionFactory, RuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(county):
    """18 active rules, 3 per area, in area order: catalogue[area] = [r1, r2, r3]."""
    return {area: [RuleFactory(county=county, area=area) for _ in range(3)] for area in Area}


def _adopt(village, rules):
    for rule in rules:
        AdoptionFactory(village=village, rule=rule)


def _first(catalogue, per_area: dict) -> list:
    return [rule for area, n in per_area.items() for rule in catalogue[area][:n]]


def test_a_village_with_12_of_18_rules_is_at_66_7_percent(village, catalogue):
    # 3 + 3 + 2 + 2 + 1 + 1 = 12 adopted.
    per_area = {
        Area.OPERATION: 3,
        Area.FACILITIES: 3,
        Area.LIFE: 2,
        Area.EXCELLENCE: 2,
        Area.RECORDS: 1,
        Area.ASSESSMENT: 1,
    }
    _adopt(village, _first(catalogue, per_area))
    row = selectors.village_compliance(village)
    assert (row.total.adopted, row.total.catalogue) == (12, 18)
    assert row.total.percent == Decimal("66.7")  # 12 / 18 = 0.6666…
    assert row.areas[Area.OPERATION].percent == Decimal("100.0")
    assert row.areas[Area.LIFE].percent == Decimal("66.7")  # 2 / 3
    assert row.areas[Area.ASSESSMENT].percent == Decimal("33.3")  # 1 / 3


def test_a_retired_rule_leaves_the_catalogue_and_its_adoption_no_longer_counts(village, catalogue):
    _adopt(village, catalogue[Area.OPERATION])
    retired = catalogue[Area.OPERATION][0]
    retired.retired_on = dt.date(2025, 6, 1)
    retired.save()
    row = selectors.village_compliance(village)
    assert (row.total.adopted, row.total.catalogue) == (2, 17)
    assert (row.areas[Area.OPERATION].adopted, row.areas[Area.OPERATION].catalogue) == (2, 2)


def test_a_township_weighs_every_village_the_same(township, village, catalogue):
    second = VillageFactory(township=township)
    third = VillageFactory(township=township)  # nothing adopted
    _adopt(village, _first(catalogue, {area: 2 for area in Area}))  # 12
    _adopt(second, _first(catalogue, {Area.OPERATION: 3, Area.FACILITIES: 3}))  # 6
    rows, total = selectors.compliance_by_village(township)
    adopted = {row.unit: row.total.adopted for row in rows}
    assert adopted == {village: 12, second: 6, third: 0}
    # (12 + 6 + 0) / (3 × 18) = 18 / 54 = 33.3 %
    assert (total.total.adopted, total.total.catalogue) == (18, 54)
    assert total.total.percent == Decimal("33.3")
    # 组织运行: (2 + 3 + 0) / 9 = 55.6 %
    assert total.areas[Area.OPERATION].percent == Decimal("55.6")


def test_the_county_total_sums_its_townships(county, township, village, catalogue, official):
    other = TownshipFactory(county=county, code="513301103000")
    other_village = VillageFactory(township=other)
    _adopt(village, _first(catalogue, {area: 3 for area in Area}))  # 18 of 18
    _adopt(other_village, _first(catalogue, {Area.OPERATION: 3, Area.FACILITIES: 3, Area.LIFE: 3}))  # 9
    rows, totals = selectors.compliance_by_township(official)
    by_code = {row.unit.code: row for row in rows}
    assert by_code[township.code].total.percent == Decimal("100.0")
    assert by_code[other.code].total.percent == Decimal("50.0")
    (county_total,) = totals
    assert county_total.unit == county
    assert (county_total.total.adopted, county_total.total.catalogue) == (27, 36)
    assert county_total.total.percent == Decimal("75.0")


def test_an_ended_village_is_left_out_of_its_township(township, village, catalogue):
    ended = VillageFactory(township=township, valid_to=dt.date(2020, 6, 30))
    _adopt(ended, catalogue[Area.OPERATION])
    rows, total = selectors.compliance_by_village(township)
    assert [r.unit for r in rows] == [village]
    assert total.total.adopted == 0


def test_an_empty_catalogue_has_no_rate_rather_than_zero(village):
    row = selectors.village_compliance(village)
    assert row.total.percent is None


def test_the_compliance_page_drills_down_and_exports_what_it_shows(
    official_client, township, village, catalogue
):
    _adopt(village, _first(catalogue, {area: 2 for area in Area}))
    page = official_client.get("/standards/compliance/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"?township={township.code}" in html and "66.7%" in html
    drill = official_client.get(f"/standards/compliance/?township={township.code}")
    assert f"/standards/villages/{village.code}/" in drill.content.decode()
    export = official_client.get(f"/standards/compliance/?township={township.code}&export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert village.name in text and "66.7%" in text
    assert official_client.get("/standards/compliance/?export=xlsx").status_code == 200
    assert official_client.get("/standards/compliance/?export=pdf").status_code == 400


def test_another_township_in_the_drill_down_is_not_found(outsider_client, township):
    assert outsider_client.get(f"/standards/compliance/?township={township.code}").status_code == 404


def test_township_staff_start_at_their_own_villages(staff_client, township, village, catalogue):
    _adopt(village, catalogue[Area.OPERATION])
    html = staff_client.get("/standards/compliance/").content.decode()
    assert f"/standards/villages/{village.code}/" in html and "返回各乡镇" not in html
    text = b"".join(staff_client.get("/standards/compliance/?export=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert village.name in text and "16.7%" in text  # 3 / 18


def test_an_admin_starts_at_one_row_per_county_and_drills_into_a_county(
    admin_client_, county, township, village, catalogue, other_county_village, other_official
):
    """A province has 3,000 townships: an admin's first level is the counties (183 rows), each a
    link to its townships, then its villages. 12 of 18 rules in one of the county's one village."""
    _adopt(village, _first(catalogue, {area: 2 for area in Area}))
    page = admin_client_.get("/standards/compliance/").content.decode()
    assert f"?county={county.code}" in page and f"?county={other_county_village.township.county.code}" in page
    assert f"?township={township.code}" not in page  # the townships are one level down
    assert "66.7%" in page and "全部县（市）" in page
    drill = admin_client_.get(f"/standards/compliance/?county={county.code}").content.decode()
    assert f"?township={township.code}" in drill and "66.7%" in drill
    assert other_county_village.township.name not in drill
    assert admin_client_.get("/standards/compliance/?county=519999000000").status_code == 404
    export = admin_client_.get("/standards/compliance/?export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert county.name in text and other_county_village.township.county.name in text
    # A county official cannot open another county's townships by URL.
    client = _client_for(other_official)
    assert client.get(f"/standards/compliance/?county={county.code}").status_code == 404
