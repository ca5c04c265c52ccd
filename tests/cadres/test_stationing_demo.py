"""The first-secretary demo: 3 villages in 5 of Kangding's 234, each from another township, never a
cadre or party member of the village stationed in; idempotent."""

import datetime as dt

import pytest

from cadres import demo
from cadres.models import Membership, Post, Stationing, active_on_q, membership_on_q
from cadres.stationing import current_first_secretaries
from villages import demo as village_demo
from villages.models import Village

pytestmark = pytest.mark.django_db


def test_the_demo_stations_first_secretaries_in_60_percent_of_villages(admin_user):
    village_demo.seed()
    demo.seed()
    count = Stationing.objects.count()
    demo.seed()
    assert Stationing.objects.count() == count

    villages = Village.objects.filter(code__startswith="513301", valid_to__isnull=True)
    assert villages.count() == 234
    today = dt.date(2026, 11, 25)
    current = list(
        current_first_secretaries(villages, today).select_related("person__home_village", "village")
    )
    # Hand count: indexes 0-233, those with index % 5 in (0, 1, 2): 46 full fives (138) + 230, 231, 232.
    assert len(current) == 141
    assert len({s.village_id for s in current}) == 141
    # Every fourth stationed village (index % 4 == 0 among them) also has a predecessor who left.
    assert Stationing.objects.filter(end_date=dt.date(2024, 6, 30)).exists()
    for s in current:
        assert s.person.home_village.township_id != s.village.township_id
        assert not Post.objects.filter(active_on_q(s.start_date), person=s.person, village=s.village).exists()
        assert not Membership.objects.filter(
            membership_on_q(s.start_date), person=s.person, branch__village=s.village
        ).exists()
        assert s.sending_unit in demo.SENDING_UNITS
