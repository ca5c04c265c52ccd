"""training 0002: the reserve cadres' training records (cadres.ReserveTraining) become classes and
attendances without loss: every old row is an attendance (参训) of its reserve's person at a class
with the same date, course and hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.cadres.factories import PersonFactory
from tests.factories import TownshipFactory, VillageFactory
from tests.helpers import migrate_test_database
from training.models import Attendance, AttendanceStatus, Audience, TrainingClass

BEFORE = [("training", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_every_reserve_training_becomes_an_attendance_with_its_date_course_and_hours(
    county, township, village
):

    other_village = VillageFactory(township=TownshipFactory(county=county, code="513301103000"))
    people = [PersonFactory(home_village=village) for _ in range(3)] + [
        PersonFactory(home_village=other_village)
    ]
    old_rows = [
        # (person index, village, course, date, hours)
        (0, village, "村级事务管理", dt.date(2025, 7, 3), Decimal("8.0")),
        (1, village, "村级事务管理", dt.date(2025, 7, 3), Decimal("8.0")),  # same class as the row above
        (2, village, "村级事务管理", dt.date(2025, 7, 3), Decimal("4.0")),  # other hours: its own class
        (0, village, "乡村振兴政策", dt.date(2026, 5, 1), Decimal("12.5")),
        (
            3,
            other_village,
            "村级事务管理",
            dt.date(2025, 7, 3),
            Decimal("8.0"),
        ),  # two townships: county class
    ]
    executor = migrate_test_database(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Reserve = old.get_model("cadres", "ReserveCadre")
        Training = old.get_model("cadres", "ReserveTraining")
        reserves = {}
        for index, place, course, day, hours in old_rows:
            key = (index, day.year)
            if key not in reserves:
                reserves[key] = Reserve.objects.create(
                    village_id=place.pk, plan_year=day.year, person_id=people[index].pk, recommended_on=day
                )
            Training.objects.create(reserve=reserves[key], trained_on=day, course=course, hours=hours)
    finally:
        migrate_test_database()
    found = {
        (a.person_id, a.training_class.title, a.training_class.start_date, a.training_class.hours)
        for a in Attendance.objects.select_related("training_class")
    }
    expected = {(people[i].pk, course, day, hours) for i, _v, course, day, hours in old_rows}
    assert found == expected
    assert Attendance.objects.count() == len(old_rows)
    assert set(Attendance.objects.values_list("status", flat=True)) == {AttendanceStatus.ATTENDED}
    assert TrainingClass.objects.count() == 3  # (course, date, hours): 8 h, 4 h, 12.5 h
    for training_class in TrainingClass.objects.all():
        assert training_class.audience == [Audience.RESERVE]
        assert training_class.end_date == training_class.start_date
        assert training_class.history.count() == 1
    shared = TrainingClass.objects.get(title="村级事务管理", hours=Decimal("8.0"))
    assert shared.township is None and shared.county == county  # reserves of two townships
    assert TrainingClass.objects.get(title="乡村振兴政策").township == township
