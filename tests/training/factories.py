"""Factories for training classes and attendance (and first secretaries' stationings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cadres.models import Stationing
from tests.cadres.factories import PersonFactory
from tests.factories import CountyFactory, VillageFactory
from training.models import Attendance, AttendanceStatus, Audience, TrainingClass


class TrainingClassFactory(DjangoModelFactory):
    class Meta:
        model = TrainingClass

    county = factory.SubFactory(CountyFactory)
    township = None
    title = factory.Sequence(lambda n: f"测试培训班{n}")
    start_date = dt.date(2026, 5, 10)
    end_date = factory.SelfAttribute("start_date")
    place = "县委党校"
    hours = Decimal("8.0")
    audience = factory.LazyFunction(lambda: [Audience.SECRETARY, Audience.DIRECTOR, Audience.FIRST_SECRETARY])


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    training_class = factory.SubFactory(TrainingClassFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.ATTENDED
    absence_reason = ""


class StationingFactory(DjangoModelFactory):
    class Meta:
        model = Stationing

    village = factory.SubFactory(VillageFactory)
    person = factory.SubFactory(PersonFactory)
    sending_unit = "县农业农村局"
    start_date = dt.date(2024, 3, 1)
    end_date = None


def reserve_attended(
    reserve, *, on: dt.date = dt.date(2026, 5, 10), course: str = "村级事务管理"
) -> Attendance:
    """A reserve cadre's training record (what cadres.ReserveTraining was): a class of the
    reserve's township with the audience 后备干部, attended by the reserve's person."""
    township = reserve.village.township
    training_class = TrainingClassFactory(
        county=township.county, township=township, title=course, start_date=on, audience=[Audience.RESERVE]
    )
    return AttendanceFactory(training_class=training_class, person=reserve.person)
