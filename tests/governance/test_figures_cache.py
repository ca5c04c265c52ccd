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

from governance.figures import TRIGGER, cached, figure_tables, numbers
from governance.models import SharedFigure
from tests.factories import (
    CountyFactory,
    CountyOfficialFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)
from tests.helpers import row_starting, section

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
    cache.clear()  # another server process: the page, the count and the header from the shared table
    with CaptureQueriesContext(connection) as shared:
        client.get(reverse("dashboard"))
    cache.clear()
    SharedFigure.objects.all().delete()
    with CaptureQueriesContext(connection) as computed:
        client.get(reverse("dashboard"))
    # Cached: the session, the user, the numbers; shared: one more query a figure; computed: every
    # section's queries.
    assert len(first) <= 4 and len(shared) <= len(first) + 3 < len(computed)


@override_settings(CACHES=LOCMEM)
def test_a_page_from_the_shared_table_is_the_same_page(official_client):
    """The sections come back from ``SharedFigure`` as the HTML they were, not escaped into text."""
    client, _township = official_client
    computed = client.get(reverse("dashboard")).content.decode()
    cache.clear()  # another server process
    shared = client.get(reverse("dashboard")).content.decode()
    assert "&lt;section" not in shared and shared.count("<section") == computed.count("<section") > 3

    def without_tokens(page: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert without_tokens(shared) == without_tokens(computed)


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
    before = numbers().get("villages_village", 0)
    with transaction.atomic():
        VillageFactory.create_batch(5, township=township)
        # Not before the commit: a reader must never see the new number with the old records.
        assert numbers().get("villages_village", 0) == before
    assert numbers()["villages_village"] > before


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


@override_settings(CACHES=LOCMEM)
def test_a_figure_is_keyed_by_the_tables_its_queries_read(official_client):
    """Nothing declares what a figure reads: the tables named in its SQL are learned, and a write to
    another table (even of the same app) leaves it cached."""
    _client, township = official_client
    from villages.models import Village

    calls = []

    def villages_here():
        calls.append(1)
        return Village.objects.filter(township=township).count()

    assert cached("test:villages", ("t",), villages_here) == 3
    assert cached("test:villages", ("t",), villages_here) == 3
    CountyFactory()  # a write to another table: the figure is still cached
    assert cached("test:villages", ("t",), villages_here) == 3 and len(calls) == 1
    VillageFactory(township=township)
    assert cached("test:villages", ("t",), villages_here) == 4 and len(calls) == 2


@override_settings(CACHES=LOCMEM)
def test_a_figure_inside_another_makes_the_outer_one_read_its_tables(official_client):
    """The outer figure computed once takes the inner one from the cache the second time round, and
    still follows the inner one's tables."""
    _client, township = official_client
    from villages.models import Village

    def inner():
        return Village.objects.filter(township=township).count()

    cached("test:inner", (), inner)  # cached before the outer figure first asks for it

    def outer():
        return cached("test:inner", (), inner) * 10

    assert cached("test:outer", (), outer) == 30
    VillageFactory(township=township)
    assert cached("test:outer", (), outer) == 40


@override_settings(CACHES=LOCMEM)
def test_a_draft_recomputes_no_section_and_a_submission_only_the_supervision_section(official_client):
    """A clerk's draft changes no dashboard figure (completeness reads the tallies, which only a
    submission moves): no section is computed again. A submission is on the page at once."""
    from django.utils import timezone

    from governance.periods import collected_month
    from supervision import services
    from tests.supervision.factories import PeriodFactory, ReportFactory

    client, township = official_client
    month = collected_month(timezone.localdate())
    period = PeriodFactory(year=month.year, number=month.number)

    def submitted_in_table() -> str:
        page = client.get(reverse("dashboard")).content.decode()
        return row_starting(section(page, "完整率与及时率"), "缓存乡")[2]

    assert submitted_in_table() == "0"
    with CaptureQueriesContext(connection) as cached_page:
        submitted_in_table()
    report = ReportFactory(village=township.villages.first(), period=period)  # a draft
    with CaptureQueriesContext(connection) as after_draft:
        assert submitted_in_table() == "0"
    # The review queue reads reports (its count is computed again); no section is.
    tallies = [q for q in after_draft.captured_queries if "supervision_reporttally" in q["sql"]]
    assert tallies == [] and len(after_draft) <= len(cached_page) + 8
    clerk = UserFactory(township=township)  # township staff
    services.report_submit(report=report, user=clerk)
    with CaptureQueriesContext(connection) as after_submission:
        assert submitted_in_table() == "1"
    assert [q for q in after_submission.captured_queries if "supervision_reporttally" in q["sql"]]
    cache.clear()
    SharedFigure.objects.all().delete()
    with CaptureQueriesContext(connection) as every_section:
        client.get(reverse("dashboard"))
    assert len(after_submission) < len(every_section)


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


@override_settings(CACHES=LOCMEM)
def test_a_figure_that_follows_the_date_moves_at_midnight_without_a_write(official_client, monkeypatch):
    """A resolution whose notice is due today is overdue tomorrow: the next day's dashboard counts
    it, though nothing was written in between (the day is part of every figure's key)."""
    import datetime as dt

    from django.utils import timezone

    from decisions.models import Matter, StepKind
    from tests.decisions.factories import MatterFactory, advance

    client, township = official_client
    staff = UserFactory(township=township)
    matter = advance(
        MatterFactory(village=township.villages.first(), created_by=staff),
        user=staff,
        through=StepKind.RESOLVE,
    )
    today = timezone.localdate()
    Matter.objects.filter(pk=matter.pk).update(disclose_by=today)

    def overdue_resolutions() -> int:
        page = client.get(reverse("dashboard")).content.decode()
        return int(re.search(r"决议逾期未公开</a></dt><dd>(\d+)</dd>", page).group(1))

    assert overdue_resolutions() == 0
    assert overdue_resolutions() == 0  # from the cache
    real = timezone.localdate

    def tomorrow(value=None, timezone=None):
        return real(value, timezone) + dt.timedelta(days=1) if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", tomorrow)
    assert overdue_resolutions() == 1


@override_settings(CACHES=LOCMEM)
def test_another_process_takes_the_figure_from_the_shared_table(official_client):
    """A process that has not computed a figure finds it in ``SharedFigure`` (here: this process
    with its own cache emptied) and computes it only once what it read has changed."""
    _client, township = official_client
    from villages.models import Village

    calls = []

    def villages_here():
        calls.append(1)
        return Village.objects.filter(township=township).count()

    assert cached("test:shared", ("t",), villages_here) == 3
    assert SharedFigure.objects.get().value == 3
    cache.clear()  # another process: nothing in its own cache
    assert cached("test:shared", ("t",), villages_here) == 3 and len(calls) == 1
    VillageFactory(township=township)
    cache.clear()
    assert cached("test:shared", ("t",), villages_here) == 4 and len(calls) == 2
    assert SharedFigure.objects.get().value == 4  # one row per figure and scope: replaced


@override_settings(CACHES=LOCMEM)
def test_a_failed_computation_shares_nothing_and_holds_no_lock(official_client):
    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cached("test:broken", (), broken)
    assert not SharedFigure.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone()[0] == 0
    assert cached("test:broken", (), lambda: "fine") == "fine"
