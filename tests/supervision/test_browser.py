"""The issue's "done when" path in a real browser: a township user reports a month from the grid on a
phone, the county official returns one report with a reason, the township fixes and resubmits it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Report
from supervision.selectors import latest_due_month
from tests.factories import VillageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}


def _log_out(page):
    page.get_by_role("button", name="退出").click()


def test_a_month_is_reported_returned_fixed_and_resubmitted(log_in, staff, official, township, village):
    second = VillageFactory(township=township, name="姑咱示例02村")
    year, month = latest_due_month(timezone.localdate())
    page = log_in("staff", viewport=PHONE)
    page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for target in (village, second):
        page.get_by_role("row", name=target.name).get_by_role("link", name="填报").click()
        page.get_by_label("决策与公开").fill(f"{target.name}本月决议均已公示。")
        page.get_by_role("button", name="保存并提交").click()
        expect(page.get_by_text("报告已提交。")).to_be_visible()
        page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
        assert "提交" in page.get_by_role("row", name=target.name).inner_text()  # 已提交 or 逾期提交
    _log_out(page)

    log_in("official")
    page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
    page.get_by_role("row", name=second.name).get_by_role("link", name="查看").click()
    page.get_by_label("原因").fill("财务部分请补充支出明细。")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("报告已退回。")).to_be_visible()
    _log_out(page)

    log_in("staff", viewport=PHONE)
    page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
    page.get_by_role("row", name=second.name).get_by_role("link", name="修改后重新提交").click()
    expect(page.get_by_text("财务部分请补充支出明细。").first).to_be_visible()
    page.get_by_role("link", name="修改内容").click()
    page.get_by_label("村级财务与资产").fill("已补充支出明细。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="重新提交").click()
    expect(page.get_by_text("报告已重新提交。")).to_be_visible()

    report = Report.objects.get(village=second)
    assert (report.status, report.findings_finances) == ("submitted", "已补充支出明细。")
    page.goto(f"/supervision/completeness/?period={year}-{month:02d}")
    row = page.get_by_role("row", name=township.name).inner_text()
    assert "100.0%" in row  # completeness: 2 of 2 villages submitted
