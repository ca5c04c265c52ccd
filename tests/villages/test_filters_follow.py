"""Filters that follow ([6/10] finding things): the village filter offers only the chosen township's
villages (server side, and through the JSON options the page reloads on change), a township user
never gets another township's villages, and units that have ended are marked "（已撤销）"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.filtering import unit_label
from tests.factories import TownshipFactory, VillageFactory
from villages.views import VILLAGE_OPTIONS_LIMIT

pytestmark = pytest.mark.django_db

OPTIONS = reverse("villages:village_options")
LISTS_WITH_BOTH_FILTERS = ["supervision:index", "decisions:index"]


def _options(client, **params):
    response = client.get(OPTIONS, params)
    assert response.status_code == 200
    return [(row["value"], row["text"]) for row in response.json()["results"]]


def _offered(response, name):
    return [label for value, label in response.context["filter"].form.fields[name].choices if value]


@pytest.mark.parametrize("url_name", LISTS_WITH_BOTH_FILTERS)
def test_the_county_village_filter_follows_the_chosen_township(
    official_client, village, other_village, url_name
):
    url = reverse(url_name)
    assert _offered(official_client.get(url), "village") == ["姑咱示例01村", "新都桥示例01村"]
    chosen = official_client.get(url, {"township": other_village.township.code})
    assert _offered(chosen, "village") == ["新都桥示例01村"]


def test_the_village_filter_reloads_its_options_from_the_chosen_township(
    official_client, village, other_village
):
    html = official_client.get(reverse("supervision:index")).content.decode()
    assert f'data-follows="township" data-options-url="{OPTIONS}"' in html
    assert _options(official_client, township=village.township.code) == [(village.code, "姑咱示例01村")]
    assert _options(official_client) == [
        (village.code, "姑咱示例01村"),
        (other_village.code, "新都桥示例01村"),
    ]


def test_a_township_user_never_gets_another_townships_villages(staff_client, village, other_village):
    assert _options(staff_client) == [(village.code, "姑咱示例01村")]
    assert staff_client.get(OPTIONS, {"township": other_village.township.code}).status_code == 404
    assert staff_client.get(OPTIONS, {"township": "51330110"}).status_code == 404
    assert staff_client.get(OPTIONS, {"township": "５１３３０１１０１０００"}).status_code == 404
    assert client_needs_login(staff_client)


def client_needs_login(client):
    client.logout()
    return client.get(OPTIONS).status_code == 302


def test_the_options_are_bounded(official_client, township):
    VillageFactory.create_batch(3, township=township)
    assert VILLAGE_OPTIONS_LIMIT == 500
    assert len(_options(official_client)) == 3


def test_a_unit_is_marked_only_once_its_end_date_has_passed(township):
    today = timezone.localdate()
    assert unit_label(VillageFactory(township=township, name="甲村")) == "甲村"
    ends_today = VillageFactory(township=township, name="乙村", valid_to=today)
    assert unit_label(ends_today) == "乙村"
    ended_yesterday = VillageFactory(township=township, name="丙村", valid_to=today - dt.timedelta(days=1))
    assert unit_label(ended_yesterday) == "丙村（已撤销）"


@pytest.mark.parametrize(
    "url_name", ["supervision:index", "decisions:index", "cadres:index", "villages:village_list"]
)
def test_an_abolished_township_is_marked_in_every_township_filter(
    official_client, county, township, url_name
):
    TownshipFactory(county=county, name="旧乡", valid_to=timezone.localdate() - dt.timedelta(days=1))
    offered = _offered(official_client.get(reverse(url_name)), "township")
    assert "旧乡（已撤销）" in offered and "姑咱镇" in offered


def test_an_abolished_village_is_marked_in_the_village_filter_and_its_options(
    official_client, township, village
):
    VillageFactory(township=township, name="旧村", valid_to=timezone.localdate() - dt.timedelta(days=1))
    expected = {"姑咱示例01村", "旧村（已撤销）"}
    assert set(_offered(official_client.get(reverse("decisions:index")), "village")) == expected
    assert {text for _, text in _options(official_client)} == expected


@pytest.mark.parametrize("url_name", LISTS_WITH_BOTH_FILTERS)
def test_an_admins_village_filter_waits_for_a_township_and_keeps_a_shared_village(
    admin_client_, village, other_village, url_name
):
    """A province has 26,000 villages: an admin's drop-down offers none until a township is chosen
    (then that township's), and a link naming a village alone still filters by it."""
    url = reverse(url_name)
    assert _offered(admin_client_.get(url), "village") == []
    chosen = admin_client_.get(url, {"township": village.township.code})
    assert _offered(chosen, "village") == ["姑咱示例01村"]
    shared = admin_client_.get(url, {"village": other_village.code})
    assert shared.status_code == 200
    assert _offered(shared, "village") == ["新都桥示例01村"]
