"""The summary figures (by hand), the 30-day rule at its boundary, and the links behind each figure."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mediation import selectors
from mediation.models import Category, Dispute, Outcome
from tests.helpers import row_starting
from tests.mediation.factories import DisputeFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1  # a whole year in the past: every open dispute of it is older than 30 days


def _day(month, day):
    return dt.date(YEAR, month, day)


@pytest.fixture
def year_data(village, other_village):
    """姑咱: 3 agreements, 1 referred, 1 unresolved, 2 open; 新都桥: 1 agreement, 1 open; and one
    dispute of the year before (not counted)."""
    here = MemberFactory(committee__village=village, is_chair=True)
    there = MemberFactory(committee__village=other_village, is_chair=True)

    def make(village, mediator, category, outcome, received=None):
        received = received or _day(3, 1)
        closed = {} if outcome == Outcome.OPEN else {"closed_on": _day(4, 1)}
        if outcome == Outcome.AGREEMENT:
            closed["agreement_on"] = _day(3, 20)
        if outcome == Outcome.REFERRED:
            closed["referred_to"] = "司法所"
        return DisputeFactory(
            village=village,
            mediator=mediator,
            category=category,
            outcome=outcome,
            received_on=received,
            **closed,
        )

    make(village, here, Category.LAND, Outcome.AGREEMENT)
    make(village, here, Category.LAND, Outcome.AGREEMENT)
    make(village, here, Category.GRASSLAND, Outcome.AGREEMENT)
    make(village, here, Category.FAMILY, Outcome.REFERRED)
    make(village, here, Category.NEIGHBOURS, Outcome.UNRESOLVED)
    make(village, here, Category.LABOUR, Outcome.OPEN)
    make(village, here, Category.OTHER, Outcome.OPEN, received=_day(12, 31))
    make(other_village, there, Category.GRASSLAND, Outcome.AGREEMENT)
    make(other_village, there, Category.GRASSLAND, Outcome.OPEN)
    make(village, here, Category.LAND, Outcome.OPEN, received=dt.date(YEAR - 1, 12, 31))


def test_summary_figures_by_hand(official, township, other_township, county, year_data):
    rows, totals = selectors.summary_by_township(official, year=YEAR)
    by_code = {row.unit.code: row for row in rows}
    gz, xdq = by_code[township.code], by_code[other_township.code]
    assert gz.total == 7 and xdq.total == 2 and totals[0].total == 9
    assert gz.categories == {"land": 2, "grassland": 1, "family": 1, "neighbours": 1, "labour": 1, "other": 1}
    assert gz.outcomes == {"agreement": 3, "referred": 1, "unresolved": 1, "open": 2}
    # 姑咱: 3 agreements of 5 closed = 60.0 %; 新都桥: 1 of 1 = 100.0 %; county: 4 of 6 = 66.666… → 66.7 %.
    assert gz.closed == 5 and gz.rate == Decimal("60.0")
    assert xdq.closed == 1 and xdq.rate == Decimal("100.0")
    assert totals[0].closed == 6 and totals[0].rate == Decimal("66.7")
    # Open for more than 30 days: both open ones of 姑咱 and the one of 新都桥 (all received last year).
    assert (gz.old_open, xdq.old_open, totals[0].old_open) == (2, 1, 3)


def test_a_township_with_nothing_closed_has_no_rate():
    assert selectors.resolution_rate(0, 0) is None
    assert selectors.resolution_rate(1, 3) == Decimal("33.3")  # 33.33… half up to one decimal
    assert selectors.resolution_rate(2, 3) == Decimal("66.7")


def test_the_summary_page_shows_the_figures_and_each_links_to_as_many_disputes(
    official_client, township, county, year_data
):
    page = official_client.get(reverse("mediation:summary"), {"year": YEAR}).content.decode()
    row = row_starting(page, township.name)
    # 受理, six categories, four outcomes, 已办结, 化解率, 调解中超过30天
    assert row[1:] == ["7", "2", "1", "1", "1", "1", "1", "2", "3", "1", "1", "5", "60.0%", "2"]
    total = row_starting(page, county.name)
    assert total[1] == "9" and total[-2:] == ["66.7%", "3"]
    links = re.findall(r'href="(/mediation/disputes/\?[^"]+)" data-count="(\d+)"', page)
    assert len(links) >= 2 * 14
    for href, count in links:
        listed = official_client.get(href.replace("&amp;", "&")).content.decode()
        assert f"共 {count} 件纠纷" in listed, f"{href} should list {count} disputes"


def test_a_malformed_year_is_a_400(official_client):
    assert official_client.get(reverse("mediation:summary"), {"year": "20x6"}).status_code == 400


@pytest.mark.parametrize("age,old", [(29, False), (30, False), (31, True)])
def test_open_for_more_than_30_days_starts_on_the_31st_day(staff_client, staff, village, age, old):
    mediator = MemberFactory(committee__village=village, is_chair=True)
    DisputeFactory(village=village, mediator=mediator, received_on=TODAY - dt.timedelta(days=age))
    # A closed dispute of the same age is never "open for more than 30 days".
    DisputeFactory(
        village=village,
        mediator=mediator,
        received_on=TODAY - dt.timedelta(days=age),
        outcome=Outcome.UNRESOLVED,
        closed_on=TODAY,
    )
    assert Dispute.objects.filter(selectors.old_open_q(today=TODAY)).count() == (1 if old else 0)
    listed = staff_client.get(reverse("mediation:dispute_list"), {"old_open": "true"}).content.decode()
    assert f"共 {1 if old else 0} 件纠纷" in listed
    home = staff_client.get("/").content.decode()
    assert ("已 31 天" in home) is old


def test_the_dashboard_lists_townships_with_old_open_disputes_first(official_client, township, year_data):
    page = official_client.get("/dashboard/", {"period": str(YEAR)}).content.decode()
    start = page.find('id="mediation"')
    assert start > 0
    panel = page[start : page.find("</section>", start)]
    rows = re.findall(r"<tr><td><a href=\"[^\"]+\">([^<]+)</a>", panel)
    # 姑咱 has 2 old open disputes, 新都桥 1; then the townships without disputes.
    assert rows[:2] == ["姑咱镇", "新都桥镇"]
    # 60.0 % is amber (60 to under 80), 100.0 % green; any old open dispute red.
    gz_row = panel.split("姑咱镇</a>")[1].split("</tr>")[0]
    assert 'level-warn">60.0%' in gz_row and 'level-bad"><a' in gz_row
    xdq_row = panel.split("新都桥镇</a>")[1].split("</tr>")[0]
    assert 'level-ok">100.0%' in xdq_row
    links = re.findall(r'href="(/mediation/disputes/\?[^"]+)" data-count="(\d+)"', panel)
    assert len(links) >= 8
    for href, count in links:
        listed = official_client.get(href.replace("&amp;", "&")).content.decode()
        assert f"共 {count} 件纠纷" in listed, f"{href} should list {count} disputes"


def test_an_admins_county_rows_are_counted_per_county_and_link_to_as_many_disputes(
    admin_client_, county, year_data
):
    from tests.factories import CountyFactory, TownshipFactory, VillageFactory

    elsewhere = CountyFactory(code="513302000000", name="泸定县")
    far = VillageFactory(township=TownshipFactory(county=elsewhere))
    mediator = MemberFactory(committee__village=far, is_chair=True)
    DisputeFactory(village=far, mediator=mediator, category=Category.LAND, received_on=_day(5, 1))
    page = admin_client_.get(reverse("mediation:summary"), {"year": YEAR}).content.decode()
    # 康定市 as in the county official's total: 9 received, 4 agreements of 6 closed, 3 old open;
    # 泸定县: one land dispute still open (received in May of last year: old).
    assert row_starting(page, county.name)[1] == "9"
    assert row_starting(page, county.name)[-2:] == ["66.7%", "3"]
    # 受理; land and five other categories; 调解中, 达成协议, 移送, 未化解; 已办结, 化解率, 超过30天
    assert row_starting(page, "泸定县")[1:] == [
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
        "0",
        "0",
        "0",
        "0",
        "—",
        "1",
    ]
    links = re.findall(r'href="(/mediation/disputes/\?[^"]+)" data-count="(\d+)"', page)
    assert len(links) == 2 * 13  # 13 linked figures (the rate is not) in each county row, no township row
    for href, count in links:
        listed = admin_client_.get(href.replace("&amp;", "&")).content.decode()
        assert f"共 {count} 件纠纷" in listed, f"{href} should list {count} disputes"
