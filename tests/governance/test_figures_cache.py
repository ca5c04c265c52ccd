"""Cached dashboard figures (governance/figures.py, [10/10] item 2): the county dashboard is computed
once per committed change, and a figure is never older than the last committed write, whoever made
it and however (a form, the ORM, raw SQL), on any server."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.figures import TRIGGER, depends_on, figure_tables, numbers
from tests.factories import CountyFactory, CountyOfficialFactory, TownshipFactory, VillageFactory

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def official_client(client):
    cache.clear()
    county = CountyFactory()
    township = TownshipFactory(county=county, name="缓存乡")
    VillageFactory.create_batch(3, township=township)
    client.force_login(CountyOfficialFactory(county=county))
    return client, township


def village_total(client) -> int:
    """The 合计 of the dashboard's township table: the number of villages in the county."""
    page = client.get(reverse("dashboard")).content.decode()
    table = page[page.rindex("乡镇（街道）数") if "乡镇（街道）数" in page else page.rindex("村（社区）数") :]
    return int(re.search(r"合计</th><th class=\"num\">(\d+)</th>", table).group(1))


@override_settings(CACHES=LOCMEM)
def test_a_second_view_is_served_from_the_cache(official_client):
    client, _township = official_client
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("dashboard"))
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get(reverse("dashboard"))
    # Cached: the session, the user, the number, the review count; computed: every panel's queries.
    assert len(first) <= 6 < len(computed)


@override_settings(CACHES=LOCMEM)
def test_a_village_added_through_the_orm_shows_at_once(official_client):
    client, township = official_client
    assert village_total(client) == 3
    VillageFactory(township=township)
    assert village_total(client) == 4


@override_settings(CACHES=LOCMEM)
def test_a_raw_sql_write_shows_at_once(official_client):
    client, township = official_client
    assert village_total(client) == 3
    elsewhere = TownshipFactory(county=CountyFactory())
    assert village_total(client) == 3  # another county's township changes no figure here
    with connection.cursor() as cursor:  # a village moved to another county, bypassing Django
        cursor.execute(
            "UPDATE villages_village SET township_id = %s WHERE id = "
            "(SELECT max(id) FROM villages_village WHERE township_id = %s)",
            [elsewhere.pk, township.pk],
        )
    assert village_total(client) == 2


@override_settings(CACHES=LOCMEM)
def test_a_rolled_back_write_changes_nothing(official_client):
    client, township = official_client
    assert village_total(client) == 3
    before = numbers()
    with pytest.raises(RuntimeError), transaction.atomic():
        VillageFactory(township=township)
        raise RuntimeError
    assert numbers() == before
    assert village_total(client) == 3


def test_one_transaction_of_many_writes_raises_the_number_once_at_commit(official_client):
    _client, township = official_client
    before = numbers().get("villages", 0)
    with transaction.atomic():
        VillageFactory.create_batch(5, township=township)
        # Not before the commit: a reader must never see the new number with the old records.
        assert numbers().get("villages", 0) == before
    assert numbers()["villages"] > before


def test_every_table_of_the_portal_apps_carries_the_trigger(db):
    tables = figure_tables()
    # The apps of every wave, including the newest, without listing them anywhere.
    for expected in ("villages_village", "supervision_report", "decisions_matter", "cadres_person"):
        assert expected in tables
    assert not [t for t in tables if t.startswith("governance_user") or "historical" in t]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        present = {row[0] for row in cursor.fetchall()}
    assert sorted(set(tables) - present) == []


def test_a_section_reads_its_app_and_the_apps_its_records_point_at(db):
    assert depends_on("decisions") == ("decisions", "governance", "villages")
    assert "cadres" in depends_on("training")  # attendance points at people
    assert "supervision" not in depends_on("decisions")


@override_settings(CACHES=LOCMEM)
def test_a_report_recomputes_the_supervision_section_only(official_client):
    from tests.supervision.factories import PeriodFactory, ReportFactory

    client, township = official_client
    village = VillageFactory(township=township)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("dashboard"))
    before = numbers()
    ReportFactory(village=village, period=PeriodFactory(year=2025, number=3))
    after = numbers()
    assert after["supervision"] > before.get("supervision", 0)
    assert {k: v for k, v in after.items() if k != "supervision"} == {
        k: v for k, v in before.items() if k != "supervision"
    }
    with CaptureQueriesContext(connection) as one_section:
        client.get(reverse("dashboard"))
    cache.clear()
    with CaptureQueriesContext(connection) as every_section:
        client.get(reverse("dashboard"))
    assert len(cached) < len(one_section) < len(every_section)


@override_settings(CACHES=LOCMEM)
def test_the_review_queues_length_follows_a_submitted_report(official_client):
    """The navigation's count is cached too (it is on every page), and moves at the next page."""
    import datetime as dt

    from django.utils import timezone

    from tests.supervision.factories import PeriodFactory, ReportFactory

    client, township = official_client

    def count() -> int:
        page = client.get(reverse("dashboard")).content.decode()
        return int(re.search(r'data-queue-count="(\d+)"', page).group(1))

    assert count() == 0
    sent = timezone.now() - dt.timedelta(days=1)
    ReportFactory(
        village=VillageFactory(township=township),
        period=PeriodFactory(year=2025, number=3),
        status="submitted",
        first_submitted_at=sent,
        submitted_at=sent,
    )
    assert count() == 1
