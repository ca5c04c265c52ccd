"""Coverage maths, computed by hand: who is to be trained in a year, who counts as trained, and the
list of those not yet trained (its count equals the figure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cadres.models import Committee, Position
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.training.factories import AttendanceFactory, StationingFactory, TrainingClassFactory
from training import selectors
from training.models import AttendanceStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def people(county, township, other_township, village, other_village):
    """Township 姑咱镇 (villages ``village`` and v2), 新都桥镇 (``other_village``):

    - A: secretary and director of ``village`` (two posts), attended a 2026 class → trained, once;
    - B: director of v2, absent from a 2026 class → to train, not trained;
    - C: first secretary stationed in v2, from another county, attended → trained;
    - D: secretary of v2 until 2025-06-30 (left before the year), attended in 2026 → not counted;
    - E: secretary of ``other_village``, attended only in 2025 → to train, not trained.
    """
    v2 = VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    elsewhere = VillageFactory(township=TownshipFactory(county=CountyFactory()))
    this_year = TrainingClassFactory(county=county, start_date=dt.date(2026, 4, 1))
    last_year = TrainingClassFactory(county=county, start_date=dt.date(2025, 9, 1))
    a = PostFactory(village=village, position=Position.SECRETARY).person
    PostFactory(village=village, person=a, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    AttendanceFactory(training_class=this_year, person=a)
    b = PostFactory(village=v2, committee=Committee.VILLAGERS, position=Position.DIRECTOR).person
    AttendanceFactory(
        training_class=this_year, person=b, status=AttendanceStatus.ABSENT, absence_reason="病假"
    )
    c = StationingFactory(village=v2, person=PersonFactory(home_village=elsewhere)).person
    AttendanceFactory(training_class=this_year, person=c)
    d = PostFactory(village=v2, position=Position.SECRETARY, end_date=dt.date(2025, 6, 30)).person
    AttendanceFactory(training_class=this_year, person=d)
    e = PostFactory(village=other_village, position=Position.SECRETARY).person
    AttendanceFactory(training_class=last_year, person=e)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _by_name(rows):
    return {row.unit.name: (row.expected, row.trained, row.percent) for row in rows}


def test_coverage_counts_each_person_once_and_only_attendance_of_the_year(official, people):
    rows, totals = selectors.coverage(official, year=2026, today=TODAY)
    assert _by_name(rows) == {"姑咱镇": (3, 2, Decimal("66.7")), "新都桥镇": (1, 0, Decimal("0.0"))}
    assert _by_name(totals) == {"康定市": (4, 2, Decimal("50.0"))}


def test_last_year_counts_who_held_the_post_on_31_december(official, people):
    # On 2025-12-31: A, B, C, E hold their posts (D left in June); only E attended in 2025.
    rows, totals = selectors.coverage(official, year=2025, today=TODAY)
    assert _by_name(rows) == {"姑咱镇": (3, 0, Decimal("0.0")), "新都桥镇": (1, 1, Decimal("100.0"))}
    assert _by_name(totals) == {"康定市": (4, 1, Decimal("25.0"))}


def test_the_untrained_list_names_those_not_trained_and_no_one_else(official, people, township):
    untrained = selectors.untrained_people([township.pk], year=2026, today=TODAY)
    assert list(untrained) == [people["b"]]
    county_wide = selectors.untrained_people(
        [township.pk, people["e"].posts.get().village.township_id], year=2026
    )
    assert {p.name for p in county_wide} == {people["b"].name, people["e"].name}


def test_a_post_left_on_the_coverage_day_counts_and_one_left_the_day_before_does_not(
    official, village, county
):
    PostFactory(village=village, position=Position.SECRETARY, end_date=TODAY)
    PostFactory(
        village=village,
        committee=Committee.VILLAGERS,
        position=Position.DIRECTOR,
        end_date=TODAY - dt.timedelta(1),
    )
    rows, _totals = selectors.coverage(official, year=2026, today=TODAY)
    assert _by_name(rows)["姑咱镇"] == (1, 0, Decimal("0.0"))


def test_a_township_user_sees_only_their_township_and_no_county_total(staff_client, people):
    page = staff_client.get(reverse("training:coverage"), {"year": 2026}).content.decode()
    assert "姑咱镇" in page and "新都桥镇" not in page and "（合计）" not in page


def test_every_figure_of_the_coverage_page_lands_on_a_list_of_that_many_people(official_client, people):
    import re
    from html import unescape

    page = official_client.get(reverse("training:coverage"), {"year": 2026}).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-count="(\d+)"', page)
    assert len(links) == 3  # two townships and the county
    for href, figure in links:
        listed = official_client.get(unescape(href)).content.decode()
        assert re.search(r'class="count">\s*共 (\d+)', listed).group(1) == figure, href


def test_a_bad_year_answers_404(official_client):
    assert official_client.get(reverse("training:coverage"), {"year": "20266"}).status_code == 404
    assert official_client.get(reverse("training:untrained"), {"year": "abc"}).status_code == 404


def test_the_dashboard_shows_coverage_worst_first_with_links_to_the_lists(official_client, people):
    import re

    page = official_client.get(reverse("dashboard"), {"period": "2026"}).content.decode()
    panel = page[page.index('id="training"') :]
    panel = panel[: panel.index("</section>")]
    assert panel.index("新都桥镇") < panel.index("姑咱镇"), "worst first"
    assert 'level-bad">0.0%' in panel and 'level-bad">66.7%' in panel
    links = dict(re.findall(r'<a href="([^"]+)" data-count="(\d+)"', panel))
    assert set(links.values()) == {"1"}
