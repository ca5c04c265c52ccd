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


def test_the_demo_has_scanned_minutes_and_notice_photos_once(township):
    from decisions.models import Attachment

    VillageFactory.create_batch(7, township=township)
    demo.seed()
    first = Attachment.objects.count()
    demo.seed()
    assert Attachment.objects.count() == first > 0
    voted = Matter.objects.filter(state__in=demo._WITH_MINUTES)
    assert set(Attachment.objects.filter(file_type="pdf").values_list("matter", flat=True)) == set(
        voted.values_list("pk", flat=True)
    )
    photos = Attachment.objects.filter(file_type="png")
    assert set(photos.values_list("matter__state", flat=True)) == {"disclosed", "completed"}
    photo = photos.first()
    with photo.file.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"
    assert photo.history.first().history_type == "+"
