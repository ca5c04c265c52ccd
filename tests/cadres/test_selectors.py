import datetime as dt

import pytest

from cadres.models import Committee, Position
from cadres.selectors import (
    combined_leadership_on,
    people_visible_to,
    posts_visible_to,
    supervision_reporter_for,
)
from tests.cadres.factories import PostFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def test_a_secretary_who_is_also_director_is_combined_leadership(village):
    post = PostFactory(village=village)
    PostFactory(
        village=village, person=post.person, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    )
    assert combined_leadership_on(village=village, on=DAY)


def test_different_secretary_and_director_is_not_combined_leadership(village):
    PostFactory(village=village)
    PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    assert not combined_leadership_on(village=village, on=DAY)


def test_combined_leadership_is_judged_on_the_given_date(village):
    post = PostFactory(village=village, end_date=dt.date(2026, 5, 31))
    PostFactory(
        village=village, person=post.person, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    )
    assert combined_leadership_on(village=village, on=dt.date(2026, 5, 31))
    assert not combined_leadership_on(village=village, on=DAY)


def test_the_discipline_inspection_member_reports_for_supervision(village):
    chair = PostFactory(village=village, committee=Committee.SUPERVISION, position=Position.SUPERVISION_CHAIR)
    assert supervision_reporter_for(village=village, on=DAY) == chair.person
    member = PostFactory(village=village, position=Position.DISCIPLINE_INSPECTION)
    assert supervision_reporter_for(village=village, on=DAY) == member.person


def test_nobody_reports_for_a_village_without_posts(village):
    assert supervision_reporter_for(village=village, on=DAY) is None


def test_people_and_posts_are_scoped_to_the_township(village, other_village, staff, official):
    PostFactory(village=village)
    PostFactory(village=other_village)
    assert people_visible_to(staff).count() == 1
    assert posts_visible_to(staff).get().village == village
    assert people_visible_to(official).count() == 2
