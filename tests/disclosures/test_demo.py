"""The demo seeder: six quarters of each category for most villages, finance lines that add up,
some villages missing this quarter, some drafts; a rerun adds nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from disclosures import demo
from disclosures.models import Category, Disclosure, FinanceLine
from disclosures.selectors import missing_villages, quarter_of
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_quarters_that_add_up_once(county, township, admin_user):
    villages = [VillageFactory(township=township, code=f"513301101{300 + k:03d}") for k in range(30)]
    demo.seed()
    counts = (Disclosure.objects.count(), FinanceLine.objects.count())
    assert set(Disclosure.objects.values_list("category", flat=True)) == set(Category.values)
    quarters = {quarter_of(d) for d in Disclosure.objects.values_list("posted_on", flat=True)}
    assert len(quarters) == demo.QUARTERS
    assert all("示例" in t for t in Disclosure.objects.values_list("title", flat=True))
    for disclosure in Disclosure.objects.filter(category=Category.FINANCE):
        sums = {
            row["kind"]: row["total"] for row in disclosure.lines.values("kind").annotate(total=Sum("amount"))
        }
        assert 3 <= disclosure.lines.count() <= 8
        assert sums.get("income", Decimal("0")) == disclosure.income_total
        assert sums.get("expenditure", Decimal("0")) == disclosure.expenditure_total
    this_quarter = quarter_of(timezone.localdate())
    missing = missing_villages(admin_user, period=this_quarter, category=Category.FINANCE).count()
    assert 0 < missing < len(villages) // 2
    assert Disclosure.objects.filter(state=Disclosure.State.DRAFT).exists()
    assert not Disclosure.objects.filter(posted_on__gt=timezone.localdate()).exists()
    demo.seed()
    assert (Disclosure.objects.count(), FinanceLine.objects.count()) == counts
