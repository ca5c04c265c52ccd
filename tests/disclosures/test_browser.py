"""The issue's "done when" step for 五公开 in a real browser: a township clerk posts a quarterly
finance disclosure (on a phone-width screen) and a visitor without login finds it on /public/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disclosures.models import Disclosure
from disclosures.selectors import quarter_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_clerk_posts_a_quarterly_finance_disclosure_and_a_visitor_finds_it(
    log_in, staff, county, township, village
):
    today = timezone.localdate()
    covered = quarter_of(today).shifted(-1)
    page = log_in("staff", viewport={"width": 390, "height": 844})
    page.goto("/disclosures/")
    page.get_by_role("link", name="新增公开事项").first.click()
    page.get_by_label("村（社区）").select_option(label=village.name)
    page.get_by_label("公开类别").select_option(label="财务")
    page.get_by_label("标题").fill(f"{covered.label}财务收支公开")
    page.get_by_label("公开内容").fill("本季度村集体收支情况如下。")
    page.get_by_label("公开日期").fill(today.isoformat())
    page.get_by_label("所属期起").fill(covered.start.isoformat())
    page.get_by_label("所属期止").fill(covered.end.isoformat())
    page.get_by_label("收入合计（元）").fill("1000.00")
    page.get_by_label("支出合计（元）").fill("500.00")  # the lines below add up to 500.50
    page.locator("#id_lines-0-kind").select_option("income")
    page.locator("#id_lines-0-item").fill("上级转移支付")
    page.locator("#id_lines-0-amount").fill("1000.00")
    page.locator("#id_lines-1-kind").select_option("expenditure")
    page.locator("#id_lines-1-item").fill("办公经费")
    page.locator("#id_lines-1-amount").fill("300.00")
    page.locator("#id_lines-2-kind").select_option("expenditure")
    page.locator("#id_lines-2-item").fill("道路维修")
    page.locator("#id_lines-2-amount").fill("200.50")
    page.get_by_role("button", name="保存草稿").click()
    expect(
        page.get_by_text("支出合计 500.00 元与各支出明细之和 500.50 元不符，相差 0.50 元。")
    ).to_be_visible()
    assert Disclosure.objects.count() == 0
    expect(page.locator("#id_lines-2-item")).to_have_value("道路维修")  # kept on error
    page.get_by_label("支出合计（元）").fill("500.50")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存，核对后请发布。")).to_be_visible()
    page.get_by_role("link", name="发布", exact=True).click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("已发布到村务公开栏。")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    page.goto("/public/")
    page.get_by_role("link", name=county.name).first.click()
    page.get_by_role("link", name=township.name).first.click()
    page.get_by_role("link", name=village.name).first.click()
    page.get_by_role("link", name=f"{covered.label}财务收支公开").click()
    expect(page.get_by_role("heading", name="财务公开")).to_be_visible()
    expect(page.get_by_text("1,000.00").first).to_be_visible()
    expect(page.get_by_text("500.50")).to_be_visible()
    expect(page.get_by_text("道路维修")).to_be_visible()
