"""Pages that hold up ([6/10]) in Chromium: long text wraps, a phone keeps the 状态 column, no 404 for
the icon, cadres lists fit a phone, date pickers show today's date in both languages, the reveal of an
ID number survives a reload."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.cadres.factories import PersonFactory, ReserveCadreFactory
from tests.decisions.factories import MatterFactory
from tests.supervision.factories import ReportFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
UNBROKEN = "一" * 150 + "A" * 150  # 300 characters with no space to break at


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_300_character_unbroken_text_wraps_instead_of_widening_the_page(log_in, staff, village):
    report = ReportFactory(village=village, findings_decisions=UNBROKEN, summary=UNBROKEN)
    matter = MatterFactory(village=village, created_by=staff, title="A" * 120, description=UNBROKEN)
    page = log_in("staff", viewport=DESKTOP)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for url in (f"/supervision/r/{report.public_id}/", f"/decisions/{matter.public_id}/", "/decisions/"):
            page.goto(url)
            assert _page_width(page) <= viewport["width"], (url, viewport, _page_width(page))
    page.goto(f"/supervision/r/{report.public_id}/")
    text = page.get_by_text(UNBROKEN).first  # there in full, on several lines
    expect(text).to_be_visible()
    assert text.bounding_box()["height"] > 100


@pytest.mark.parametrize("url", ["/supervision/", "/decisions/"])
def test_on_a_phone_the_status_column_of_a_list_is_in_view(log_in, staff, village, url):
    ReportFactory(village=village)
    MatterFactory(village=village, created_by=staff)
    page = log_in("staff", viewport=PHONE)
    page.goto(url)
    header = page.locator("#results th", has_text=re.compile("^状态$"))
    expect(header).to_be_visible()
    box = header.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], box  # on screen, no sideways scroll
    # Secondary columns are hidden on a phone, shown on a desktop.
    assert not page.locator("#results th", has_text="乡镇（街道）").is_visible()
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#results th", has_text="乡镇（街道）")).to_be_visible()


CADRE_LISTS = {
    # url: (headers kept on a phone, a secondary header hidden there)
    "/cadres/": (["姓名", "户籍所在村"], "身份证号码"),
    "/cadres/reserves/": (["村（社区）", "姓名", "选拔环节", "去向"], "帮带干部"),
}


@pytest.mark.parametrize("url", list(CADRE_LISTS))
def test_on_a_phone_a_cadres_list_keeps_its_main_columns_in_view(log_in, staff, village, url):
    ReserveCadreFactory(village=village, person=PersonFactory(home_village=village, name="张三"))
    kept, hidden = CADRE_LISTS[url]
    page = log_in("staff", viewport=PHONE)
    page.goto(url)
    expect(page.locator("#results td a", has_text="张三")).to_be_visible()
    for text in kept:
        header = page.locator("#results th", has_text=re.compile(f"^{text}$"))
        expect(header).to_be_visible()
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], (text, box)
    assert _page_width(page) <= PHONE["width"], _page_width(page)
    assert not page.locator("#results th", has_text=hidden).is_visible()
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#results th", has_text=hidden)).to_be_visible()


def test_no_page_asks_for_an_icon_that_is_not_there(log_in, staff, page):
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    log_in("staff")
    page.goto("/decisions/")
    assert page.request.get("/favicon.ico").status == 200  # followed to the static icon
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200
    assert not missing, missing


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_picker_shows_todays_date_in_both_languages(log_in, staff, village, language):
    matter = MatterFactory(village=village, created_by=staff)
    page = log_in("staff")
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    page.goto(f"/decisions/{matter.public_id}/")  # the next step's meeting date starts at today
    expect(page.locator("html")).to_have_attribute("lang", language)
    dates = page.locator("input[type=date]")
    values = [dates.nth(index).input_value() for index in range(dates.count())]
    # The browser shows an empty picker for a value that is not YYYY-MM-DD (2026/11/25).
    assert timezone.localdate().isoformat() in values, values


def test_revealing_an_id_number_leaves_a_page_that_reloads(log_in, staff, village):
    person = PersonFactory(home_village=village)
    number = person.reveal_id_number()
    page = log_in("staff")
    page.goto(f"/cadres/people/{person.public_id}/")
    page.get_by_role("button", name="查看完整号码（将被记录）").click()
    expect(page.get_by_text(number)).to_be_visible()
    assert page.url.endswith(f"/cadres/people/{person.public_id}/") and number not in page.url
    response = page.reload()
    assert response.status == 200  # not 405, and no second post
    expect(page.get_by_text(person.id_number_masked)).to_be_visible()
    assert number not in page.content()
