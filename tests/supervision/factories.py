"""Factories for supervision records. ``ReportFactory`` makes a draft monthly report by default."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from supervision.models import Kind, Rectification, Report, ReportingPeriod
from tests.factories import VillageFactory


class PeriodFactory(DjangoModelFactory):
    """A period with the default calendar (``ReportingPeriod.build``); pass kind/year/number."""

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("kind", "year", "number")

    kind = Kind.MONTHLY
    year = 2025
    number = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        built = ReportingPeriod.build(kwargs["kind"], kwargs["year"], kwargs["number"])
        existing = model_class.objects.filter(kind=built.kind, year=built.year, number=built.number).first()
        if existing:
            return existing
        for field in ("start", "end", "due_date", "locks_on"):
            if field in kwargs:
                setattr(built, field, kwargs[field])
        built.save()
        return built


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    village = factory.SubFactory(VillageFactory)
    township = factory.SelfAttribute("village.township")
    period = factory.SubFactory(PeriodFactory)
    status = Report.Status.DRAFT
    findings_decisions = "决议已公示。"


class RectificationFactory(DjangoModelFactory):
    class Meta:
        model = Rectification

    opened_in = factory.SubFactory(ReportFactory)
    village = factory.SelfAttribute("opened_in.village")
    area = "finances"
    problem = "支出单据缺少签字"
    responsible = "村报账员"
    found_on = factory.LazyAttribute(lambda o: o.opened_in.period.start)
    deadline = factory.LazyAttribute(lambda o: o.found_on)
