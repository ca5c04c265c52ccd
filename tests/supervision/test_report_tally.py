"""supervision 0006: the per-township, per-period counts the dashboards read (submitted, on time)
are kept by the database in the same transaction as each write of a report, follow a county's own
deadline, and always equal a recount of the reports."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection

from supervision.models import PeriodDeadline, Report, ReportTally
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("supervision.migrations.0006_report_tally")


def tallies() -> dict:
    return {
        (t.township_id, t.period_id): (t.submitted, t.on_time)
        for t in ReportTally.objects.all()
        if t.submitted
    }


def recount() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(migration.RECOUNT_SELECT % {"period": "NULL::bigint"})
        return {(township, period): (n, on_time) for period, township, n, on_time in cursor.fetchall()}


@pytest.fixture
def period():
    return PeriodFactory(year=2025, number=3)  # deadline: the local midnight after 2025-04-05


def sent(report, when: dt.datetime) -> None:
    """As the services do: first submission time, kept on later submissions."""
    Report.objects.filter(pk=report.pk).update(status="submitted", first_submitted_at=when, submitted_at=when)


def test_the_tally_moves_with_every_write(period):
    township = TownshipFactory()
    other = TownshipFactory(county=township.county)
    on_time, late = period.deadline - dt.timedelta(seconds=1), period.deadline
    a, b, c = (ReportFactory(village=VillageFactory(township=township), period=period) for _ in range(3))
    assert tallies() == {}  # drafts count for nothing
    sent(a, on_time)
    sent(b, late)  # the deadline itself is late: strictly before counts
    assert tallies() == {(township.pk, period.pk): (2, 1)}
    Report.objects.filter(pk=b.pk).update(township=other)  # a village moved township
    sent(c, on_time)
    assert tallies() == {(township.pk, period.pk): (2, 2), (other.pk, period.pk): (1, 0)}
    a.delete()
    assert tallies() == {(township.pk, period.pk): (1, 1), (other.pk, period.pk): (1, 0)}
    assert tallies() == recount()


def test_a_county_deadline_recounts_its_townships_only(period):
    township = TownshipFactory()
    elsewhere = TownshipFactory(county=CountyFactory())
    here = ReportFactory(village=VillageFactory(township=township), period=period)
    there = ReportFactory(village=VillageFactory(township=elsewhere), period=period)
    sent(here, period.deadline + dt.timedelta(hours=1))
    sent(there, period.deadline + dt.timedelta(hours=1))
    assert tallies() == {(township.pk, period.pk): (1, 0), (elsewhere.pk, period.pk): (1, 0)}
    # The county's calendar gives it two more days: its late report is now on time.
    own = PeriodDeadline.objects.create(
        period=period,
        county=township.county,
        due_date=period.due_date + dt.timedelta(days=2),
        locks_on=period.locks_on + dt.timedelta(days=2),
    )
    assert tallies() == {(township.pk, period.pk): (1, 1), (elsewhere.pk, period.pk): (1, 0)}
    own.delete()
    assert tallies() == {(township.pk, period.pk): (1, 0), (elsewhere.pk, period.pk): (1, 0)}
    assert tallies() == recount()


def test_a_township_moved_to_another_county_takes_that_countys_deadline(period):
    township = TownshipFactory()
    generous = CountyFactory()
    PeriodDeadline.objects.create(
        period=period,
        county=generous,
        due_date=period.due_date + dt.timedelta(days=5),
        locks_on=period.locks_on + dt.timedelta(days=5),
    )
    report = ReportFactory(village=VillageFactory(township=township), period=period)
    sent(report, period.deadline + dt.timedelta(days=1))
    assert tallies() == {(township.pk, period.pk): (1, 0)}
    township.county = generous
    township.save()
    assert tallies() == {(township.pk, period.pk): (1, 1)}
    assert tallies() == recount()
