"""Issue [6/10] in Chromium with JavaScript off: an irreversible development step goes through a
confirmation page; 返回修改 keeps the typed date; only 确认办理 records."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cadres.models import Development
from tests.cadres.factories import DevelopmentFactory
from tests.factories import TEST_PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}


def test_making_an_activist_is_confirmed_first_without_javascript(browser, live_server, staff, village):
    development = DevelopmentFactory(
        village=village, applied_on=dt.date(2024, 1, 10), talked_on=dt.date(2024, 1, 20)
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.goto(f"/cadres/development/{development.public_id}/")
    section = page.get_by_role("heading", name="确定为入党积极分子").locator("..")
    section.get_by_label("日期").fill("2024-02-01")
    section.get_by_role("button", name="确定为入党积极分子").click()

    expect(page.get_by_role("heading", name="确认办理：确定为入党积极分子")).to_be_visible()
    expect(page.locator("#confirm-outcome")).to_contain_text(
        "办理后发展阶段为“入党积极分子”。此操作不能撤销。"
    )
    assert Development.objects.get().stage == "applicant"  # nothing saved yet
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="返回修改").click()
    section = page.get_by_role("heading", name="确定为入党积极分子").locator("..")
    assert section.get_by_label("日期").input_value() == "2024-02-01"
    assert Development.objects.get().stage == "applicant"
    section.get_by_role("button", name="确定为入党积极分子").click()
    page.get_by_role("button", name="确认办理").click()

    expect(page.get_by_text("已办理：确定为入党积极分子。")).to_be_visible()
    development.refresh_from_db()
    assert development.stage == "activist" and development.activist_on == dt.date(2024, 2, 1)
    context.close()
