"""Factories of village compact rows (written directly: the services' rules are tested on their own)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from compacts.models import CompactVersion, Kind
from decisions.models import Matter
from tests.decisions.factories import MatterFactory
from tests.factories import AdminUserFactory, VillageFactory


class CompactVersionFactory(DjangoModelFactory):
    class Meta:
        model = CompactVersion

    village = factory.SubFactory(VillageFactory)
    kind = Kind.RULES
    text = factory.Sequence(lambda n: f"村规民约测试文本{n}：一、爱护草场。二、邻里和睦。")
    adopted_on = dt.date(2019, 6, 1)
    recorded_by = factory.SubFactory(AdminUserFactory)


def resolved_matter(
    village, *, resolved_on: dt.date, state=Matter.State.RESOLVED, title="村规民约修订"
) -> Matter:
    """A matter of ``village`` left in ``state`` with its resolution dated ``resolved_on`` (written
    directly; the decision steps are tested in tests/decisions)."""
    return MatterFactory(village=village, title=title, state=state, resolved_on=resolved_on)
