"""Training pages at province scale ([10/10] item 1), with figures counted by hand.

康定市: 姑咱镇's village has secretary A (attended a 2026 class) and director B (did not);
新都桥镇's village has secretary E (did not). 泸定县: 泸桥镇's village has secretary F (did not).
For 2026: 康定市 has 3 to train, 1 trained, 2 untrained (33.3%); 泸定县 1 to train, 0 trained."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cadres.models import Committee, JoinKind, Membership, Position
from tests.cadres.factories import PersonFactory, PostFactory, ReserveCadreFactory
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.training.factories import AttendanceFactory, StationingFactory, TrainingClassFactory
from training import selectors
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db

KANGDING, LUDING = "513301000000", "513302000000"


@pytest.fixture
def province(county, village, other_village):
    a = PostFactory(village=village, person=PersonFactory(name="甲书记", home_village=village)).person
    PostFactory(
        village=village,
        committee=Committee.VILLAGERS,
        position=Position.DIRECTOR,
        person=PersonFactory(name="乙主任", home_village=village),
    )
    PostFactory(village=other_village, person=PersonFactory(name="戊书记", home_village=other_village))
    luding = CountyFactory(code=LUDING, name="泸定县")
    far = VillageFactory(township=TownshipFactory(county=luding, code="513302101000", name="泸桥镇"))
    PostFactory(village=far, person=PersonFactory(name="己书记", home_village=far))
    AttendanceFactory(
        training_class=TrainingClassFactory(county=county, start_date=dt.date(2026, 4, 1)), person=a
    )
    return luding


def _names(response) -> set[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}


def test_an_admins_coverage_lists_the_counties_then_one_countys_townships(admin_client_, province):
    url = reverse("training:coverage")
    page = admin_client_.get(url, {"year": 2026}).content.decode()
    assert "姑咱镇" not in page and "泸桥镇" not in page  # no township row at the first level
    assert f'href="?year=2026&amp;county={KANGDING}">康定市</a>' in page
    assert f'county={KANGDING}" data-count="2">2</a>' in page  # B and E are not trained
    assert f'county={LUDING}" data-count="1">1</a>' in page
    assert "33.3%" in page and "0.0%" in page
    one = admin_client_.get(url, {"year": 2026, "county": KANGDING}).content.decode()
    assert "姑咱镇" in one and "新都桥镇" in one and "泸桥镇" not in one
    assert 'township=513301101000" data-count="1">1</a>' in one  # 姑咱镇: B
    assert admin_client_.get(url, {"year": 2026, "county": "513399000000"}).status_code == 404


def test_a_county_officials_coverage_still_lists_the_townships(official_client, province):
    page = official_client.get(reverse("training:coverage"), {"year": 2026}).content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page and "泸定县" not in page


def test_an_admins_untrained_list_waits_for_a_county_and_the_export_holds_everyone(admin_client_, province):
    url = reverse("training:untrained")
    page = admin_client_.get(url, {"year": 2026}).content.decode()
    assert "乙主任" not in page and "己书记" not in page
    assert f'href="?year=2026&amp;county={LUDING}">泸定县</a>' in page
    chosen = admin_client_.get(url, {"year": 2026, "county": KANGDING}).content.decode()
    assert "乙主任" in chosen and "戊书记" in chosen and "己书记" not in chosen and "甲书记" not in chosen
    assert _names(admin_client_.get(url, {"year": 2026, "export": "csv"})) == {"乙主任", "戊书记", "己书记"}


def test_a_class_page_finds_a_person_of_its_county_by_name_without_listing_everyone(
    official_client, county, village, province
):
    here = PersonFactory(name="扎西康定", home_village=village)
    there = PersonFactory(name="扎西泸定", home_village=VillageFactory(township=province.townships.get()))
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_detail", args=[training_class.public_id])
    page = official_client.get(url).content.decode()
    assert str(here.public_id) not in page  # the picker offers no one until a name is searched
    assert 'id="person-search"' in page and 'name="q"' in page  # a GET form of its own, no JavaScript
    found = official_client.get(url, {"q": "扎西"}).content.decode()
    assert f'value="{here.public_id}"' in found and str(there.public_id) not in found
    assert "找到 1 人" in found
    nobody = official_client.get(url, {"q": "无此人"}).content.decode()
    assert "没有匹配的人员" in nobody
    saved = official_client.post(
        reverse("training:class_attendance", args=[training_class.public_id]),
        {"other_person": str(here.public_id), "other_status": "attended"},
    )
    assert saved.status_code == 302


def test_the_people_of_a_county_are_found_through_each_kind_of_link(county, village):
    """Each person lives outside 康定市 (home village in 泸定县) but has one link into it, except the
    resident (home village inside) and the stranger (no link): the rule of DESIGN's training section."""
    outside = VillageFactory(township=TownshipFactory(county=CountyFactory(code=LUDING, name="泸定县")))

    def person(name):
        return PersonFactory(name=name, home_village=outside)

    resident = PersonFactory(name="住本县", home_village=village)
    posted = PostFactory(
        village=village, committee=Committee.VILLAGERS, position=Position.MEMBER, person=person("任职")
    ).person
    stationed = StationingFactory(village=village, person=person("驻村")).person
    reserve = ReserveCadreFactory(village=village, person=person("后备"), mentor=None).person
    member = Membership.objects.create(
        person=person("党员"),
        branch=PartyBranch.objects.get(village=village, kind="village"),
        joined_on=dt.date(2020, 1, 1),
        joined_how=JoinKind.REGISTERED,
        full_since=dt.date(2020, 1, 1),
    ).person
    person("无关")
    found = set(selectors.people_of_county(county.pk).values_list("name", flat=True))
    assert found == {p.name for p in (resident, posted, stationed, reserve, member)}
    assert [p.name for p in selectors.people_of_county_named(county.pk, "驻")] == ["驻村"]
