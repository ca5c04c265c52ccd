"""Factories for cadre records. Synthetic ID numbers are checksum-valid with Kangding's area code
(513301) and the person's own birth date; ``PersonFactory.id_number`` sets the number explicitly."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from cadres import idnumbers
from cadres.models import (
    Committee,
    Development,
    Evaluation,
    Integrity,
    Performance,
    Person,
    Position,
    Post,
    ReserveCadre,
    Sex,
)
from tests.factories import VillageFactory

KANGDING_AREA = "513301"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        exclude = ("id_number",)

    name = factory.Sequence(lambda n: f"测试人员{n}")
    sex = Sex.MALE
    ethnicity = "藏族"
    birth_date = factory.Sequence(lambda n: dt.date(1970, 1, 1) + dt.timedelta(days=37 * (n % 300)))
    education = "senior"
    phone = factory.Sequence(lambda n: f"138{n % 100000000:08d}")
    home_village = factory.SubFactory(VillageFactory)

    @factory.lazy_attribute_sequence
    def id_number(self, n):
        # Odd sequence digits for men, even for women (GB 11643).
        sequence = (2 * n + (1 if self.sex == Sex.MALE else 0)) % 1000
        return idnumbers.make_id_number(area=KANGDING_AREA, birth_date=self.birth_date, sequence=sequence)

    @factory.lazy_attribute
    def id_number_encrypted(self):
        return idnumbers.encrypt(self.id_number)

    @factory.lazy_attribute
    def id_number_hash(self):
        return idnumbers.keyed_hash(self.id_number)

    @factory.lazy_attribute
    def id_number_masked(self):
        return idnumbers.mask(self.id_number)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    village = factory.SubFactory(VillageFactory)
    person = factory.SubFactory(PersonFactory, home_village=factory.SelfAttribute("..village"))
    committee = Committee.BRANCH
    position = Position.SECRETARY
    start_date = dt.date(2021, 4, 1)
    term_end = dt.date(2026, 4, 1)
    end_date = None


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    village = factory.SubFactory(VillageFactory)
    person = factory.SubFactory(PersonFactory, home_village=factory.SelfAttribute("..village"))
    year = 2025
    performance = Performance.COMPETENT
    integrity = Integrity.GOOD
    evaluated_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 20))


class DevelopmentFactory(DjangoModelFactory):
    class Meta:
        model = Development

    village = factory.SubFactory(VillageFactory)
    person = factory.SubFactory(PersonFactory, home_village=factory.SelfAttribute("..village"))
    applied_on = dt.date(2024, 3, 1)


class ReserveCadreFactory(DjangoModelFactory):
    class Meta:
        model = ReserveCadre

    village = factory.SubFactory(VillageFactory)
    person = factory.SubFactory(PersonFactory, home_village=factory.SelfAttribute("..village"))
    plan_year = 2026
    recommended_on = dt.date(2026, 3, 1)
