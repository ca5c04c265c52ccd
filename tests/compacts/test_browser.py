"""The issue's "done when" step for village rules in a real browser: a township clerk records a new
村规民约 version adopted by a 四议两公开 matter, and a visitor without login finds it on /public/."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from compacts.models import CompactVersion, Kind
from tests.compacts.factories import CompactVersionFactory, resolved_matter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_clerk_records_rules_adopted_by_a_matter_and_a_visitor_finds_them(
    log_in, staff, county, township, village
):
    CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1), text="2019年版：爱护草场。")
    matter = resolved_matter(village, resolved_on=dt.date(2025, 3, 1), state="disclosed")

    page = log_in("staff")
    page.get_by_role("link", name="村规民约").first.click()
    page.get_by_role("link", name=village.name).click()
    page.get_by_role("link", name="录入新版村规民约").click()
    page.get_by_label("通过日期").fill("2025-03-05")
    page.get_by_label("通过该版本的“四议两公开”事项").select_option(label=f"2025-03-01 {matter.title}")
    page.get_by_label("全文").fill("一、爱护草场，有序采挖虫草。\n二、红白喜事从简。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("自2025-03-05起为现行版本")).to_be_visible()
    version = CompactVersion.objects.get(village=village, adopted_on=dt.date(2025, 3, 5))
    assert (version.kind, version.matter_id) == (Kind.RULES, matter.pk)
    page.get_by_role("button", name="退出登录").click()

    page.goto("/public/")
    page.get_by_role("link", name=county.name).click()
    page.get_by_role("link", name=township.name).click()
    page.get_by_role("link", name=village.name).click()
    board = page.locator("#village-rules")
    expect(board).to_contain_text("2025-03-05通过")
    expect(board).to_contain_text("一、爱护草场，有序采挖虫草。")
    expect(board).not_to_contain_text("2019年版")
