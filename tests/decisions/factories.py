"""Factories and a helper that walks a matter through its steps with passing votes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from decisions import services
from decisions.models import Category, Matter, MeetingType, StepKind
from decisions.services import Vote
from tests.factories import AdminUserFactory, VillageFactory

START = dt.date(2025, 3, 3)


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"村道硬化工程{n}")
    category = Category.PROJECT
    amount = Decimal("860000.00")
    description = "硬化村道3公里，资金来源为上级补助和村集体经济收入。"
    planned_completion = dt.date(2025, 10, 31)
    created_by = factory.SubFactory(AdminUserFactory)


def passing_vote(due: int = 9) -> Vote:
    """Everyone present, everyone for: passes every threshold."""
    return Vote(members_due=due, present=due, votes_for=due, votes_against=0, votes_abstain=0)


def advance(matter: Matter, *, user, through: StepKind, start: dt.date = START) -> Matter:
    """Record passing steps up to and including ``through``, one week apart from ``start``."""
    day = start
    calls = {
        StepKind.PROPOSE: lambda: services.matter_propose(matter=matter, user=user, held_on=day, text="提议"),
        StepKind.CONSULT: lambda: services.matter_consult(
            matter=matter, user=user, held_on=day, vote=passing_vote(7)
        ),
        StepKind.REVIEW: lambda: services.matter_review(
            matter=matter, user=user, held_on=day, vote=passing_vote(20)
        ),
        StepKind.RESOLVE: lambda: services.matter_resolve(
            matter=matter,
            user=user,
            held_on=day,
            meeting_type=MeetingType.REPRESENTATIVES,
            vote=passing_vote(30),
        ),
        StepKind.DISCLOSE_RESOLUTION: lambda: services.matter_disclose_resolution(
            matter=matter, user=user, held_on=day, place="村务公开栏"
        ),
        StepKind.DISCLOSE_RESULT: lambda: services.matter_disclose_result(
            matter=matter, user=user, held_on=day, outcome="已按决议完成。"
        ),
    }
    for kind in StepKind:
        if kind > through:
            break
        if matter.steps.filter(kind=kind).exists():
            continue
        calls[kind]()
        day += dt.timedelta(days=7)
    matter.refresh_from_db()
    return matter
