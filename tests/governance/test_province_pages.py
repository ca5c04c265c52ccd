"""Pages an admin reads across a province ([10/10] item 1): a table per township or a list per
village of 26,000 rows is unreadable and cost seconds, so those pages start at the counties (or the
townships) and open one unit at a time; the export still holds every row. Officials of one county
keep their full tables."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.helpers import row_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    """A second county with one township and village, so an admin spans two counties."""
    county = CountyFactory(code="513302000000", name="泸定县")
    township = TownshipFactory(county=county, code="513302101000", name="泸桥镇")
    VillageFactory(township=township, code="513302101201", name="泸桥示例村")
    return county


def test_an_admins_dispute_summary_lists_counties_then_one_countys_townships(
    admin_client_, village, other_village, elsewhere
):
    url = reverse("mediation:summary")
    page = admin_client_.get(url, {"year": 2026}).content.decode()
    assert "点击下方县名查看其各乡镇" in page
    assert "姑咱镇" not in page and "泸桥镇" not in page  # no township row yet
    assert f'county={village.township.county.code}">康定市</a>' in page
    assert f'county={elsewhere.code}">泸定县</a>' in page
    one = admin_client_.get(url, {"year": 2026, "county": village.township.county.code}).content.decode()
    assert "姑咱镇" in one and "新都桥镇" in one and "泸桥镇" not in one


def test_a_county_officials_summary_still_lists_every_township(official_client, village, other_village):
    page = official_client.get(reverse("mediation:summary"), {"year": 2026}).content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page


def test_an_admins_missing_disclosures_start_at_the_counties(
    admin_client_, village, other_village, elsewhere
):
    url = reverse("disclosures:missing")
    page = admin_client_.get(url).content.decode()
    assert "姑咱示例01村" not in page  # the village list waits for a county or township
    assert "泸桥镇" not in page and "姑咱镇" not in page  # no township row yet
    # Nothing disclosed: 康定市 has two villages missing, 泸定县 one; each name opens its townships.
    assert f'county={village.township.county.code}">康定市</a>' in page
    assert f'county={elsewhere.code}">泸定县</a>' in page
    assert 'data-count="2"' in page and 'data-count="1"' in page
    one = admin_client_.get(url, {"county": village.township.county.code}).content.decode()
    assert "姑咱镇" in one and "新都桥镇" in one and "泸桥镇" not in one
    assert "姑咱示例01村" in one and "新都桥示例01村" in one and "泸桥示例村" not in one
    assert admin_client_.get(url, {"county": "513399000000"}).status_code == 404
    chosen = admin_client_.get(url, {"township": village.township.code}).content.decode()
    assert "姑咱示例01村" in chosen and "新都桥示例01村" not in chosen
    exported = admin_client_.get(url, {"export": "csv"})
    assert "泸桥示例村" in b"".join(exported.streaming_content).decode()


def test_a_county_officials_missing_disclosures_list_the_villages(official_client, village):
    assert "姑咱示例01村" in official_client.get(reverse("disclosures:missing")).content.decode()


def test_an_admins_completeness_lists_counties_then_one_countys_townships(
    admin_client_, village, other_village, elsewhere
):
    url = reverse("supervision:completeness")
    page = admin_client_.get(url).content.decode()
    assert "点击县名查看其各乡镇" in page
    assert "姑咱镇" not in page and "泸桥镇" not in page  # no township row yet
    assert f'county={village.township.county.code}">康定市</a>' in page
    assert f'county={elsewhere.code}">泸定县</a>' in page
    one = admin_client_.get(url, {"county": village.township.county.code}).content.decode()
    assert "姑咱镇" in one and "新都桥镇" in one and "泸桥镇" not in one
    assert admin_client_.get(url, {"county": "513399000000"}).status_code == 404
    assert admin_client_.get(url, {"county": "x"}).status_code == 404


def test_a_county_officials_completeness_still_lists_every_township(official_client, village, other_village):
    page = official_client.get(reverse("supervision:completeness")).content.decode()
    assert "姑咱镇" in page and "新都桥镇" in page and "点击县名" not in page


def test_an_admins_completeness_counts_each_countys_reports(admin_client_, village, other_village, elsewhere):
    from supervision.models import Report
    from supervision.selectors import latest_due_month, period_from_key
    from tests.supervision.factories import ReportFactory

    year, month = latest_due_month(timezone.localdate())
    period = period_from_key(f"{year}-{month:02d}")
    period.save()
    submitted = ReportFactory(village=village, period=period)
    when = period.deadline
    Report.objects.filter(pk=submitted.pk).update(
        status="submitted", first_submitted_at=when, submitted_at=when
    )
    ReportFactory(village=other_village, period=period)  # a draft: not submitted
    page = admin_client_.get(reverse("supervision:completeness")).content.decode()
    # 康定市: 2 villages expected, 1 submitted (50.0%), none on time (submitted at the deadline: late).
    assert row_starting(page, "康定市")[1:] == ["2", "1", "50.0%", "0", "0.0%"]
    assert row_starting(page, "泸定县")[1:] == ["1", "0", "0.0%", "0", "0.0%"]
    assert row_starting(page, "合计")[1:] == ["3", "1", "33.3%", "0", "0.0%"]
