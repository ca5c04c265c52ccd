"""The issue's "done when" path in a real browser: a township user reports a month from the grid on a
phone, the county official returns one report with a reason, the township fixes and resubmits it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision import services
from supervision.models import Kind, Report
from supervision.selectors import latest_due_month
from tests.factories import TEST_PASSWORD, VillageFactory
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory

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
        # The second step says what submitting means before anything is sent.
        expect(page.get_by_text("提交后乡镇不能再修改报告内容，除非县级审核人员退回。")).to_be_visible()
        page.get_by_role("button", name="确认提交").click()
        expect(page.get_by_text("报告已提交。")).to_be_visible()
        page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
        assert "提交" in page.get_by_role("row", name=target.name).inner_text()  # 已提交 or 逾期提交
    _log_out(page)

    log_in("official")
    page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
    page.get_by_role("row", name=second.name).get_by_role("link", name="查看").click()
    # The review panel comes after the content; the reason box is inside the 退回 form only.
    content = page.get_by_role("heading", name="监督情况").bounding_box()
    review = page.get_by_role("heading", name="审核", exact=True).bounding_box()
    assert review["y"] > content["y"]
    approve_form = page.locator("form", has=page.get_by_role("heading", name="通过", exact=True))
    expect(approve_form.get_by_label("原因")).to_have_count(0)
    page.get_by_label("原因").fill("财务部分请补充支出明细。")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("报告已退回。")).to_be_visible()
    _log_out(page)

    log_in("staff", viewport=PHONE)
    # The home page shows the returned report apart from drafts, with the reason and a link.
    returned = page.locator(".returned-list li", has_text=second.name)
    expect(returned.get_by_text("已退回")).to_be_visible()
    expect(returned.get_by_text("财务部分请补充支出明细。")).to_be_visible()
    page.goto(f"/supervision/grid/{township.code}/{year}/{month}/")
    page.get_by_role("row", name=second.name).get_by_role("link", name="修改后重新提交").click()
    expect(page.get_by_text("财务部分请补充支出明细。").first).to_be_visible()
    page.get_by_role("link", name="修改内容").click()
    page.get_by_label("村级财务与资产").fill("已补充支出明细。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="重新提交…").click()
    page.get_by_role("button", name="确认重新提交").click()
    expect(page.get_by_text("报告已重新提交。")).to_be_visible()

    report = Report.objects.get(village=second)
    assert (report.status, report.findings_finances) == ("submitted", "已补充支出明细。")
    page.goto(f"/supervision/completeness/?period={year}-{month:02d}")
    row = page.get_by_role("row", name=township.name).inner_text()
    assert "100.0%" in row  # completeness: 2 of 2 villages submitted


def _open_report(village, **kwargs):
    """A draft of 2025年3月 (ended) kept open for entry whatever today is."""
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    return ReportFactory(village=village, period=period, **kwargs)


def test_a_clerk_adds_two_rectifications_on_a_phone_without_retyping(log_in, staff, village):
    report = _open_report(village)
    page = log_in("staff", viewport=PHONE)
    page.goto(f"/supervision/r/{report.public_id}/")
    form = page.locator("#new-item")
    form.get_by_label("监督事项").select_option("projects")
    form.get_by_label("发现的问题").fill("变更未经村民代表会议讨论")
    form.get_by_label("整改责任人").fill("村主任")
    form.get_by_label("发现日期").fill("2025-02-28")  # before the month started
    form.get_by_label("整改期限").fill("2025-04-30")
    form.get_by_role("button", name="添加").click()
    # Back in place: the error next to its field, everything typed still there.
    form = page.locator("#new-item")
    field = form.locator(".field", has=page.locator("#id_found_on"))
    expect(field.get_by_text("发现日期不能早于本期开始日期（2025-03-01）。")).to_be_visible()
    expect(form.get_by_label("发现的问题")).to_have_value("变更未经村民代表会议讨论")
    expect(form.get_by_label("整改责任人")).to_have_value("村主任")
    expect(form.get_by_label("整改期限")).to_have_value("2025-04-30")
    form.get_by_label("发现日期").fill("2025-03-10")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_text("整改事项已添加。")).to_be_visible()
    form = page.locator("#new-item")
    form.get_by_label("发现的问题").fill("低保公示未张贴")
    form.get_by_label("整改责任人").fill("村文书")
    form.get_by_label("发现日期").fill("2025-03-12")
    form.get_by_label("整改期限").fill("2025-03-31")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_text("整改事项已添加。")).to_be_visible()
    assert sorted(report.opened_items.values_list("problem", flat=True)) == [
        "低保公示未张贴",
        "变更未经村民代表会议讨论",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_submitting_confirms_first_without_javascript(browser, live_server, staff, village):
    report = _open_report(village)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"/supervision/r/{report.public_id}/")
    page.get_by_role("link", name="提交…").click()
    expect(page.get_by_text("报告送康定市县级审核人员审核。")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "draft"
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("报告已提交。")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "submitted"
    context.close()


def test_an_approved_item_is_corrected_with_a_reason_and_the_county_sees_it(log_in, staff, official, village):
    report = _open_report(village)
    RectificationFactory(opened_in=report, responsible="村报账员")
    services.report_submit(report=report, user=staff, now=local(2025, 4, 1))
    services.report_approve(report=report, user=official)
    page = log_in("staff", viewport=PHONE)
    page.goto(f"/supervision/r/{report.public_id}/")
    page.get_by_role("link", name="更正", exact=True).click()
    page.get_by_label("整改责任人").fill("村会计")
    page.get_by_label("更正原因").fill("责任人填错")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("整改事项已更正。")).to_be_visible()
    expect(page.locator(".correction", has_text="整改责任人：村报账员 → 村会计")).to_be_visible()
    _log_out(page)
    log_in("official")
    page.goto(f"/supervision/r/{report.public_id}/")
    expect(page.get_by_role("heading", name="审核通过后的更正")).to_be_visible()
    expect(page.get_by_text("责任人填错").first).to_be_visible()
