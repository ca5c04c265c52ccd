"""The issue's "done when" path for the register, in a real browser on a phone-sized window: a
township user records a seasonal branch and a joint village-enterprise branch (with a new
enterprise typed inline), after one refused try that keeps what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from branches.creditcodes import WRONG_CHECK
from tests.factories import PUBLISHED_CREDIT_CODES
from villages.models import PartyBranch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}


def test_a_clerk_records_a_seasonal_and_a_village_enterprise_branch(log_in, staff, village, csp_violations):
    page = log_in("staff", viewport=PHONE)
    page.goto("/branches/")
    page.get_by_role("link", name="登记党组织").click()
    page.locator("#id_name").fill("姑咱示例虫草山流动党支部")
    page.get_by_label("类型").select_option("seasonal_mobile")
    page.get_by_label("活动起始月份").select_option("7")
    page.get_by_label("活动结束月份").select_option("5")
    page.get_by_role("button", name="保存").click()
    # Refused, with the reason on the field and the values kept.
    expect(page.get_by_text("活动结束月份早于起始月份")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("姑咱示例虫草山流动党支部")
    page.get_by_label("活动起始月份").select_option("5")
    page.get_by_label("活动结束月份").select_option("7")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记党组织。")).to_be_visible()
    expect(page.get_by_text("5月至7月")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto("/branches/new/")
    page.locator("#id_name").fill("姑咱示例村企联建党支部")
    page.get_by_label("类型").select_option("joint_village_enterprise")
    page.get_by_label("联建村（社区）").select_option(village.code)
    page.get_by_label("新登记企业名称").fill("姑咱示例农牧有限公司")
    wrong = PUBLISHED_CREDIT_CODES[0][:-1] + "4"
    page.get_by_label("新登记企业统一社会信用代码").fill(wrong)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(str(WRONG_CHECK))).to_be_visible()
    expect(page.get_by_label("新登记企业名称")).to_have_value("姑咱示例农牧有限公司")
    page.get_by_label("新登记企业统一社会信用代码").fill(PUBLISHED_CREDIT_CODES[0])
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记党组织。")).to_be_visible()
    expect(page.locator("#linked-enterprises")).to_contain_text("姑咱示例农牧有限公司")
    expect(page.locator("#linked-villages")).to_contain_text(village.name)

    page.goto("/branches/?kind=seasonal_mobile")
    expect(page.get_by_role("link", name="姑咱示例虫草山流动党支部")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert PartyBranch.objects.filter(township=staff.township).exclude(kind="village").count() == 2
    assert csp_violations == []
