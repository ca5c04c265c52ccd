"""The dashboard's "done when" in a real browser: the county official sees the chart and the coloured
table, clicks 姑咱镇's completeness figure and lands on the villages that have not reported; printed,
the navigation is hidden."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Kind
from supervision.selectors import latest_due_month
from tests.factories import VillageFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_the_county_clicks_a_red_completeness_figure_and_prints(log_in, official, township, other_township):
    year, month = latest_due_month(timezone.localdate())
    period = PeriodFactory(kind=Kind.MONTHLY, year=year, number=month)
    reported = VillageFactory(township=township, name="姑咱已报村")
    VillageFactory(township=township, name="姑咱未报一村")
    VillageFactory(township=township, name="姑咱未报二村")
    now = timezone.now()
    ReportFactory(
        village=reported, period=period, status="submitted", first_submitted_at=now, submitted_at=now
    )
    done = VillageFactory(township=other_township, name="新都桥已报村")
    ReportFactory(village=done, period=period, status="submitted", first_submitted_at=now, submitted_at=now)

    page = log_in("official")
    page.goto("/dashboard/")
    panel = page.locator("section#supervision")
    expect(panel.locator("svg.chart.bar")).to_be_visible()
    rows = panel.locator("table.dashtable tbody tr")
    expect(rows.first).to_contain_text("姑咱镇")  # 1/3 = 33.3% before 新都桥镇's 1/1 = 100%
    figure = rows.first.get_by_role("link", name="33.3%")
    # Red: the cell's colour is the stylesheet's --bad (#cf222e), not the link colour.
    assert figure.evaluate("a => getComputedStyle(a).color") == "rgb(207, 34, 46)"
    figure.click()
    expect(page.get_by_text("尚未提交报告的村：2 个。")).to_be_visible()
    grid = page.locator("table.grid tbody")
    expect(grid).to_contain_text("姑咱未报一村")
    expect(grid).to_contain_text("姑咱未报二村")
    expect(grid).not_to_contain_text("姑咱已报村")

    page.goto("/dashboard/")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("form.periodpicker")).to_be_hidden()
    expect(page.locator("section#supervision svg.chart.bar")).to_be_visible()
