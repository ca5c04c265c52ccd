"""Factories of 六个标准化 rows (written directly: the services' rules are tested on their own)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from standards.models import NOTE_FIELDS, SCORE_FIELDS, Adoption, Area, Review, Rule
from tests.factories import AdminUserFactory, CountyFactory, VillageFactory


class RuleFactory(DjangoModelFactory):
    class Meta:
        model = Rule

    county = factory.SubFactory(CountyFactory)
    area = Area.OPERATION
    code = factory.Sequence(lambda n: f"R-{n:03d}")
    title = factory.Sequence(lambda n: f"测试规范{n}")


class AdoptionFactory(DjangoModelFactory):
    class Meta:
        model = Adoption

    village = factory.SubFactory(VillageFactory)
    rule = factory.SubFactory(RuleFactory, county=factory.SelfAttribute("..village.township.county"))
    adopted_on = dt.date(2025, 5, 1)
    note = "制度已上墙。"
    recorded_by = factory.SubFactory(AdminUserFactory)


def scores(values=(80, 80, 80, 80, 80, 80)) -> dict:
    """The six score fields (and their notes) for a review or a service's ``data``."""
    data = {}
    for area, value in zip(Area, values, strict=True):
        data[SCORE_FIELDS[area]] = value
        data[NOTE_FIELDS[area]] = f"{area.label}佐证"
    return data


class ReviewFactory(DjangoModelFactory):
    """A review with six scores of 80 (total 80.00); pass ``values=(...)`` for others."""

    class Meta:
        model = Review

    values = (80, 80, 80, 80, 80, 80)
    branch = factory.LazyFunction(lambda: VillageFactory().branches.get())
    year = 2025
    assessor = "乡镇党建办"
    state = Review.State.DRAFT
    created_by = factory.SubFactory(AdminUserFactory)
    total = 0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        values = kwargs.pop("values", None) or (80, 80, 80, 80, 80, 80)
        review = model_class(*args, **{**kwargs, **scores(values)})
        review.total = review.mean_score()
        review.save()
        return review
