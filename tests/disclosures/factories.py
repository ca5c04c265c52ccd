"""Factories of 五公开 rows (written directly: the services' rules are tested on their own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from disclosures.models import Category, Disclosure, FinanceLine
from tests.factories import AdminUserFactory, VillageFactory


class DisclosureFactory(DjangoModelFactory):
    class Meta:
        model = Disclosure

    village = factory.SubFactory(VillageFactory)
    category = Category.VILLAGE
    title = factory.Sequence(lambda n: f"测试公开{n}")
    text = "本季度村务情况。"
    posted_on = dt.date(2026, 10, 10)
    period_start = dt.date(2026, 7, 1)
    period_end = dt.date(2026, 9, 30)
    state = Disclosure.State.PUBLISHED
    created_by = factory.SubFactory(AdminUserFactory)


def finance(village, *, income=("1000.00",), expenditure=("300.00", "200.50"), **kwargs) -> Disclosure:
    """A finance disclosure whose totals are the sums of the given lines."""
    disclosure = DisclosureFactory(
        village=village,
        category=Category.FINANCE,
        income_total=sum((Decimal(a) for a in income), Decimal("0")),
        expenditure_total=sum((Decimal(a) for a in expenditure), Decimal("0")),
        **kwargs,
    )
    for n, amount in enumerate(income):
        FinanceLine.objects.create(
            disclosure=disclosure, kind="income", item=f"收入{n}", amount=amount, position=n
        )
    for n, amount in enumerate(expenditure):
        FinanceLine.objects.create(
            disclosure=disclosure, kind="expenditure", item=f"支出{n}", amount=amount, position=n
        )
    return disclosure
