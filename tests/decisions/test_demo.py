import pytest

from decisions import demo
from decisions.models import Matter
from decisions.selectors import matter_counts
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_the_demo_reaches_every_state_and_can_be_loaded_twice(township):
    VillageFactory.create_batch(7, township=township)  # the demo township: two matters per village
    demo.seed()
    first = Matter.objects.count()
    demo.seed()
    assert Matter.objects.count() == first == 14
    counts = matter_counts(Matter.objects.all())
    assert all(counts[state] > 0 for state in Matter.State.values)
    assert counts["overdue_resolution"] > 0 and counts["overdue_result"] > 0
