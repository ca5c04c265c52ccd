"""The demo seeder: every current village of the demo county gets a 村规民约 (revised in 2019, some
later, some by their demo matter) and a 文明公约; the ordering rule holds; a rerun adds nothing."""

from __future__ import annotations

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from compacts import demo
from compacts.models import CompactVersion, Kind
from decisions.models import Matter
from governance.privacy import contains_personal
from tests.compacts.factories import resolved_matter
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_village_both_compacts_in_order_once(county, township):
    villages = [VillageFactory(township=township) for _ in range(30)]
    today = timezone.localdate()
    # Resolved today: after every planned version, adopted the same day (3 days later is capped at today).
    adopting = resolved_matter(villages[0], resolved_on=today, state=Matter.State.DISCLOSED)
    demo.seed()
    per_kind = CompactVersion.objects.values("village", "kind").annotate(
        n=Count("pk"), first=Min("adopted_on")
    )
    assert {(row["village"], row["kind"]) for row in per_kind} == {
        (v.pk, kind) for v in villages for kind in (Kind.RULES, Kind.CIVILITY)
    }
    rules = CompactVersion.objects.filter(kind=Kind.RULES)
    revised_2019 = rules.filter(adopted_on__year=2019).values("village").distinct().count()
    assert revised_2019 == len(villages), "every village revised its 村规民约 in 2019 (the source article)"
    assert (
        rules.filter(adopted_on__year__lt=2019).exists() and rules.filter(adopted_on__year__gt=2019).exists()
    )
    assert CompactVersion.objects.get(matter=adopting).adopted_on == today
    latest = rules.filter(village=villages[0]).aggregate(Max("adopted_on"))["adopted_on__max"]
    assert latest == today, "the matter's version is the current one"
    assert all(
        "示例文本" in text and not contains_personal(text)
        for text in CompactVersion.objects.values_list("text", flat=True)
    )
    count = CompactVersion.objects.count()
    demo.seed()
    assert CompactVersion.objects.count() == count
