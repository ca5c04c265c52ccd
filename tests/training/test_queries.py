"""Query counts of the training pages do not grow with the data: the same bound at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Committee, Position
from tests.cadres.factories import PostFactory, ReserveCadreFactory
from tests.factories import VillageFactory
from tests.training.factories import AttendanceFactory, StationingFactory, TrainingClassFactory
from training.models import Audience

pytestmark = pytest.mark.django_db

# Sessions, user, page; the list: count, rows; the detail: class, audience (posts, stationings,
# reserves), attendance, picker people and their posts, history; coverage: townships, roster,
# trained, counties, targets.
MAX_QUERIES = 22


def _populate(county, township, n):
    classes = [
        TrainingClassFactory(
            county=county,
            start_date=dt.date(2026, 3, 1 + k),
            audience=[Audience.SECRETARY, Audience.DIRECTOR, Audience.FIRST_SECRETARY, Audience.RESERVE],
        )
        for k in range(n)
    ]
    for k in range(n):
        village = VillageFactory(township=township, code=f"{township.code[:9]}{300 + k:03d}")
        secretary = PostFactory(village=village, position=Position.SECRETARY).person
        PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
        StationingFactory(village=village)
        ReserveCadreFactory(village=village)
        AttendanceFactory(training_class=classes[0], person=secretary)
        if k:
            AttendanceFactory(training_class=classes[k], person=secretary)
    return classes[0]


@pytest.mark.parametrize("size", [2, 12])
def test_pages_stay_within_the_bound(official_client, county, township, size, django_assert_max_num_queries):
    training_class = _populate(county, township, size)
    urls = [
        reverse("training:class_list"),
        reverse("training:class_list") + "?year=2026&audience=secretary",
        reverse("training:class_detail", args=[training_class.public_id]),
        reverse("training:coverage") + "?year=2026",
        reverse("training:untrained") + f"?year=2026&township={township.code}",
        reverse("training:untrained") + "?year=2026&export=csv",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = official_client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)


@pytest.mark.parametrize("size", [2, 12])
def test_the_dashboard_panel_stays_within_the_bound(
    official, county, township, size, django_assert_max_num_queries
):
    from training.panels import dashboard_panel

    _populate(county, township, size)
    with django_assert_max_num_queries(3):
        dashboard_panel(user=official)


@pytest.mark.parametrize("extra_counties", [1, 10])
def test_classes_against_target_per_county_in_two_queries(
    admin_user, county, extra_counties, django_assert_max_num_queries
):
    """Each county's target is the row in force on 1 January (its own before the default, the
    model's 12 without any row); the count of queries does not grow with the counties."""
    from tests.factories import CountyFactory, TownshipFactory
    from training.models import TrainingTarget
    from training.selectors import classes_against_target

    TrainingTarget.objects.create(county=None, effective_from=dt.date(2020, 1, 1), classes_per_year=10)
    TrainingTarget.objects.create(county=county, effective_from=dt.date(2025, 6, 1), classes_per_year=14)
    # Starts on 2 January 2026: the year 2026 is still judged by the row of 2025.
    TrainingTarget.objects.create(county=county, effective_from=dt.date(2026, 1, 2), classes_per_year=20)
    others = [CountyFactory() for _ in range(extra_counties)]
    TrainingClassFactory(county=county, start_date=dt.date(2026, 3, 1))
    TrainingClassFactory(
        county=county, township=TownshipFactory(county=county), start_date=dt.date(2026, 4, 1)
    )
    TrainingClassFactory(county=county, start_date=dt.date(2025, 12, 31))  # another year
    with django_assert_max_num_queries(2):
        rows = classes_against_target(admin_user, year=2026, counties=[county, *others])
    mine = rows[0]
    assert (mine.county, mine.target, mine.county_classes, mine.township_classes) == (county, 14, 1, 1)
    assert [row.target for row in rows[1:]] == [10] * extra_counties
    assert not mine.met
    TrainingTarget.objects.all().delete()
    assert classes_against_target(admin_user, year=2026, counties=[county])[0].target == 12
