"""The person picker ([6/10] finding things): each person shown as "姓名 · 出生年份 · 村 · 当前职务", a search
endpoint scoped to the user's jurisdiction with a bounded result count and a pinned query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.forms import person_choice_label
from cadres.models import Committee, Position
from cadres.views import PERSON_SEARCH_LIMIT
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("cadres:person_search")
B1980 = dt.date(1980, 5, 1)


def _search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_a_person_reads_name_birth_year_village_and_current_post(village):
    secretary = PostFactory(
        village=village, person__name="格桑", person__birth_date=B1980, position=Position.SECRETARY
    ).person
    assert person_choice_label(secretary) == "格桑 · 1980年生 · 姑咱示例01村 · 书记"


def test_an_ended_post_is_not_a_current_post_and_two_posts_are_both_shown(village):
    person = PersonFactory(home_village=village, name="次仁", birth_date=B1980)
    PostFactory(village=village, person=person, position=Position.SECRETARY, end_date=dt.date(2024, 1, 1))
    assert person_choice_label(person) == "次仁 · 1980年生 · 姑咱示例01村 · 无现任职务"
    PostFactory(village=village, person=person, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    PostFactory(
        village=village,
        person=person,
        committee=Committee.SUPERVISION,
        position=Position.SUPERVISION_MEMBER,
    )
    assert person_choice_label(person) == "次仁 · 1980年生 · 姑咱示例01村 · 主任、监委会委员"


def test_a_person_of_an_abolished_village_is_marked(township):
    gone = VillageFactory(
        township=township, name="旧村", valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2020, 1, 1)
    )
    assert (
        person_choice_label(PersonFactory(home_village=gone, name="拉姆", birth_date=B1980))
        == "拉姆 · 1980年生 · 旧村（已撤销） · 无现任职务"
    )


def test_searching_part_of_a_name_finds_the_person_with_village_and_post(staff_client, village):
    PostFactory(
        village=village, person__name="格桑达瓦", person__birth_date=B1980, position=Position.SECRETARY
    )
    PersonFactory(home_village=village, name="卓玛")
    assert _search(staff_client, q="达瓦") == ["格桑达瓦 · 1980年生 · 姑咱示例01村 · 书记"]
    assert _search(staff_client, q="") == []


def test_a_township_user_never_finds_another_townships_people(
    staff_client, outsider_client, village, other_village
):
    PersonFactory(home_village=village, name="扎西甲", birth_date=B1980)
    PersonFactory(home_village=other_village, name="扎西乙", birth_date=B1980)
    assert _search(staff_client, q="扎西") == ["扎西甲 · 1980年生 · 姑咱示例01村 · 无现任职务"]
    assert _search(outsider_client, q="扎西") == ["扎西乙 · 1980年生 · 新都桥示例01村 · 无现任职务"]


def test_mentors_are_searched_among_the_villages_sitting_post_holders(staff_client, village, township):
    PostFactory(
        village=village, person__name="扎西书记", person__birth_date=B1980, position=Position.SECRETARY
    )
    PostFactory(village=village, person__name="扎西旧任", end_date=dt.date(2024, 1, 1))
    PersonFactory(home_village=village, name="扎西群众")
    elsewhere = VillageFactory(township=township)
    PostFactory(village=elsewhere, person__name="扎西别村", position=Position.SECRETARY)
    found = _search(staff_client, q="扎西", posted_in=village.code)
    assert found == ["扎西书记 · 1980年生 · 姑咱示例01村 · 书记"]


def test_cadres_are_people_who_hold_or_held_a_post(staff_client, village):
    PostFactory(
        village=village, person__name="扎西旧任", person__birth_date=B1980, end_date=dt.date(2024, 1, 1)
    )
    PersonFactory(home_village=village, name="扎西群众")
    assert _search(staff_client, q="扎西", cadres="1") == ["扎西旧任 · 1980年生 · 姑咱示例01村 · 无现任职务"]


def test_another_townships_village_as_mentor_scope_is_not_found(staff_client, other_village):
    assert staff_client.get(SEARCH, {"q": "扎", "posted_in": other_village.code}).status_code == 404
    assert staff_client.get(SEARCH, {"q": "扎", "posted_in": "abc"}).status_code == 404
    assert staff_client.get(SEARCH, {"q": "扎\x00"}).status_code < 500


@pytest.mark.parametrize(
    ("matching", "shown"),
    [(PERSON_SEARCH_LIMIT - 1, 19), (PERSON_SEARCH_LIMIT, 20), (PERSON_SEARCH_LIMIT + 1, 20)],
)
def test_a_search_answers_at_most_twenty_people(staff_client, village, matching, shown):
    assert PERSON_SEARCH_LIMIT == 20
    PersonFactory.create_batch(matching, home_village=village)
    assert len(_search(staff_client, q="测试人员")) == shown


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_keeps_its_query_count(staff_client, village, count, django_assert_max_num_queries):
    for _ in range(count):
        PostFactory(
            village=village, person__name="扎西", committee=Committee.VILLAGERS, position=Position.MEMBER
        )
    # session, user, the people, their current posts
    with django_assert_max_num_queries(4):
        assert len(_search(staff_client, q="扎西")) == min(count, 20)


def test_the_post_form_offers_a_searchable_picker_that_works_as_a_plain_select(staff_client, village):
    PostFactory(village=village, person__name="格桑", person__birth_date=B1980, position=Position.SECRETARY)
    html = staff_client.get(reverse("cadres:post_create")).content.decode()
    assert 'data-picker="person"' in html
    assert f'data-search-url="{SEARCH}"' in html
    assert "格桑 · 1980年生 · 姑咱示例01村 · 书记</option>" in html


def test_the_search_needs_a_login(client):
    assert client.get(SEARCH, {"q": "扎"}).status_code == 302
