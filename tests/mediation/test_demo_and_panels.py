"""The demo seeder (a committee of 3-5 village people with one chair per village, disputes over two
years, more grassland disputes in pastoral townships, some open for more than 30 days; a rerun adds
nothing) and the sections on the village page and the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from mediation import demo, selectors
from mediation.models import Committee, Dispute, Member, Outcome
from tests.factories import TownshipFactory, VillageFactory
from tests.mediation.factories import DisputeFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_committees_and_two_years_of_disputes_once(county, township):
    pastoral = TownshipFactory(county=county, code="513301103000", name="塔公镇")
    villages = [VillageFactory(township=township) for _ in range(12)]
    villages += [VillageFactory(township=pastoral, code=f"513301103{200 + k:03d}") for k in range(12)]
    for village in villages:
        for _ in range(6):
            PersonFactory(home_village=village)
    demo.seed()
    assert Committee.objects.count() == len(villages)
    sizes = Committee.objects.annotate(
        n=Count("members"), chairs=Count("members", filter=Q(members__is_chair=True))
    ).values_list("n", "chairs")
    assert all(3 <= n <= 5 and chairs == 1 for n, chairs in sizes), "3-5 members, one chair"
    assert not Member.objects.exclude(person__home_village=F("committee__village")).exists(), (
        "people of the village"
    )
    today = timezone.localdate()
    disputes = Dispute.objects.all()
    assert disputes.count() >= len(villages)
    assert not disputes.filter(received_on__lt=today - dt.timedelta(days=730)).exists()
    assert not disputes.exclude(mediator__committee__village=F("village")).exists(), (
        "the village's own mediators"
    )
    assert disputes.filter(selectors.old_open_q(today=today)).exists(), "some open for more than 30 days"
    outcomes = set(disputes.values_list("outcome", flat=True))
    assert {Outcome.AGREEMENT, Outcome.OPEN} <= outcomes
    share = {
        t.code: disputes.filter(village__township=t, category="grassland").count()
        / max(1, disputes.filter(village__township=t).count())
        for t in (township, pastoral)
    }
    assert share[pastoral.code] > share[township.code], "more grassland disputes in pastoral townships"
    counts = (Committee.objects.count(), Member.objects.count(), Dispute.objects.count())
    demo.seed()
    assert (Committee.objects.count(), Member.objects.count(), Dispute.objects.count()) == counts


def test_the_village_page_shows_the_committee_and_open_disputes(staff_client, village):
    chair = MemberFactory(committee__village=village, is_chair=True, person__name="次仁示丁")
    DisputeFactory(village=village, mediator=chair, received_on=timezone.localdate() - dt.timedelta(days=31))
    html = staff_client.get(f"/villages/{village.code}/").content.decode()
    assert "调解委员会主任：次仁示丁" in html
    assert "调解中的纠纷 1 件" in html and "调解中超过30天" in html
    assert f"/mediation/villages/{village.code}/" in html


def test_the_home_page_lists_disputes_open_for_more_than_30_days(staff_client, outsider_client, village):
    chair = MemberFactory(committee__village=village, is_chair=True)
    DisputeFactory(village=village, mediator=chair, received_on=timezone.localdate() - dt.timedelta(days=45))
    html = staff_client.get("/").content.decode()
    assert "调解中超过30天的纠纷" in html and "已 45 天" in html
    assert "已 45 天" not in outsider_client.get("/").content.decode(), "another township does not see it"
