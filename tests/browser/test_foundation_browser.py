import pytest
from playwright.sync_api import expect

from tests.factories import VillageFactory

# Browser tests share one live server per worker; keep them on one xdist worker.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_township_user_logs_in_and_sees_only_their_villages(log_in, staff, village, other_village):
    page = log_in("staff")
    assert "姑咱镇" in page.content()
    page.get_by_role("link", name="村（社区）", exact=True).first.click()
    page.wait_for_url("**/villages/")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 1
    assert village.name in rows.first.inner_text()
    assert other_village.name not in page.content()


def test_filtering_by_name_updates_the_table_in_place(log_in, staff, township):
    VillageFactory(township=township, name="甲村")
    VillageFactory(township=township, name="乙村")
    page = log_in("staff")
    page.goto("/villages/")
    page.get_by_label("名称").fill("乙")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**name=%E4%B9%99**")
    assert page.locator("#results tbody tr").count() == 1
    assert "乙村" in page.locator("#results").inner_text()


def test_the_village_page_works_on_a_phone_screen(log_in, staff, village):
    page = log_in("staff", viewport={"width": 375, "height": 740})
    page.goto(f"/villages/{village.code}/")
    expect(page.get_by_role("heading", name=village.name)).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_wrong_password_is_explained(page, staff):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名或密码不正确")
