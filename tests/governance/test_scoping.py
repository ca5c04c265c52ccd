import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from governance.scoping import get_visible_or_404
from tests.factories import CountyFactory, TownshipFactory, UserFactory, VillageFactory
from villages.models import Village
from villages.selectors import (
    branches_visible_to,
    counties_visible_to,
    townships_visible_to,
    villages_visible_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_village(db):
    """A village of another county altogether."""
    return VillageFactory(township=TownshipFactory(county=CountyFactory(code="513302000000")))


def test_township_staff_see_only_their_townships_villages_and_branches(staff, village, other_village):
    assert list(villages_visible_to(staff)) == [village]
    assert [b.village for b in branches_visible_to(staff)] == [village]
    assert list(townships_visible_to(staff)) == [village.township]
    assert list(counties_visible_to(staff)) == [village.township.county]


def test_a_county_official_sees_their_county_and_nothing_else(
    official, village, other_village, foreign_village
):
    assert set(villages_visible_to(official)) == {village, other_village}
    assert foreign_village not in villages_visible_to(official)


def test_an_admin_sees_every_county(admin_user, village, foreign_village):
    assert set(villages_visible_to(admin_user)) == {village, foreign_village}


def test_anonymous_and_inactive_users_see_nothing(village, staff):
    assert not villages_visible_to(AnonymousUser()).exists()
    staff.is_active = False
    assert not villages_visible_to(staff).exists()


def test_a_user_whose_role_lacks_its_jurisdiction_sees_nothing(village):
    user = UserFactory.build(role="county", township=None, county=None)
    user.pk = 999
    assert not villages_visible_to(user).exists()


def test_get_visible_or_404_answers_404_outside_the_jurisdiction(outsider, village):
    with pytest.raises(Http404):
        get_visible_or_404(villages_visible_to(outsider), code=village.code)


def test_get_visible_or_404_answers_404_for_a_malformed_lookup(staff, village):
    with pytest.raises(Http404):
        get_visible_or_404(villages_visible_to(staff), pk="not-a-number")


def test_the_selector_does_not_leak_through_a_later_filter(staff, other_village):
    assert not villages_visible_to(staff).filter(code=other_village.code).exists()
    assert Village.objects.filter(code=other_village.code).exists()


def test_get_visible_or_404_answers_404_for_a_malformed_uuid(staff, village):
    from villages.selectors import branches_visible_to

    with pytest.raises(Http404):
        get_visible_or_404(branches_visible_to(staff), public_id="not-a-uuid")
