"""The report list's count ("共 N 份") without filters comes from the tallies kept by the database
(ReportTally's submitted reports plus the reports never submitted), so a province's 2 million reports
are not counted row by row ([10/10] item 1). It must always equal the number of reports the user may
read, whatever their status; a filtered list counts its rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import Report
from supervision.selectors import counted_by_tally, reports_visible_to
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2025, 4, 2, 10, 0, tzinfo=dt.UTC)


def submit(report, *, status="submitted", reason=""):
    Report.objects.filter(pk=report.pk).update(
        status=status, first_submitted_at=WHEN, submitted_at=WHEN, return_reason=reason
    )


@pytest.fixture
def reports(township, other_township):
    """康定市: 4 reports in 姑咱镇 (a draft, submitted, returned, approved) and 1 in 新都桥镇 (submitted)
    over two periods; 泸定县: 2 (a draft and a submitted one)."""
    march, april = PeriodFactory(year=2025, number=3), PeriodFactory(year=2025, number=4)
    here, there = VillageFactory(township=township), VillageFactory(township=other_township)
    ReportFactory(village=here, period=march)  # a draft, never submitted
    submit(ReportFactory(village=here, period=april))
    second = VillageFactory(township=township)
    submit(ReportFactory(village=second, period=march), status="returned", reason="缺少附件")
    submit(ReportFactory(village=second, period=april), status="approved")
    submit(ReportFactory(village=there, period=march))
    elsewhere = TownshipFactory(county=CountyFactory(code="513302000000", name="泸定县"))
    far = VillageFactory(township=elsewhere)
    ReportFactory(village=far, period=march)
    submit(ReportFactory(village=far, period=april))


def count_on_page(client, **params) -> str:
    page = client.get(reverse("supervision:index"), params).content.decode()
    start = page.index('<p class="count">')
    return page[start : page.index("</p>", start)].removeprefix('<p class="count">')


def test_the_whole_lists_count_is_every_report_the_user_reads(
    reports, admin_client_, official_client, staff_client
):
    assert count_on_page(admin_client_) == "共 7 份"  # 5 in 康定市 + 2 in 泸定县
    assert count_on_page(official_client) == "共 5 份"  # 康定市 only
    assert count_on_page(staff_client) == "共 4 份"  # 姑咱镇 only
    assert count_on_page(admin_client_, page=2) == "共 7 份"  # paging keeps the count
    with CaptureQueriesContext(connection) as queries:
        count_on_page(admin_client_)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]]
    assert any("supervision_reporttally" in sql for sql in counts), "the count reads the tallies"
    assert all("first_submitted_at" in sql for sql in counts if '"supervision_report"' in sql)


def test_a_filtered_lists_count_counts_its_rows(reports, admin_client_, official_client, township):
    assert count_on_page(admin_client_, status="draft") == "共 2 份"
    assert count_on_page(official_client, status="submitted") == "共 2 份"
    assert count_on_page(official_client, township=township.code) == "共 4 份"
    assert count_on_page(admin_client_, period="2025-04") == "共 3 份"


def test_the_count_follows_each_write(reports, admin_client_, village):
    ReportFactory(village=village, period=PeriodFactory(year=2025, number=5))  # a new draft
    assert count_on_page(admin_client_) == "共 8 份"
    submit(Report.objects.get(village=village))
    assert count_on_page(admin_client_) == "共 8 份"  # submitted: moved to the tally, counted once
    Report.objects.filter(status="approved").delete()
    assert count_on_page(admin_client_) == "共 7 份"


def test_any_later_filter_counts_the_rows_again(reports, admin_user):
    tallied = counted_by_tally(reports_visible_to(admin_user), admin_user)
    assert tallied.count() == 7
    assert tallied.filter(status="draft").count() == 2
    assert tallied.none().count() == 0
    assert tallied.all().count() == 7
