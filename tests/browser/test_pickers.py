"""Finding things in a real browser ([6/10]): a township user picks a mentor by typing part of a
name and sees each person's village and current post (Tom Select, served from static/vendor/, no
CSP violation); the county official's village filter lists only the chosen township's villages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadres.models import Committee, Position, ReserveStage
from tests.cadres.factories import PersonFactory, PostFactory, ReserveCadreFactory
from tests.factories import VillageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_township_user_picks_a_mentor_by_typing_part_of_a_name(
    page, log_in, staff, village, csp_violations
):
    today = timezone.localdate()
    mentor = PostFactory(
        village=village,
        person__name="格桑达瓦",
        person__birth_date=dt.date(1980, 6, 1),
        start_date=dt.date(2024, 1, 1),
    ).person
    PostFactory(
        village=village,
        person__name="格桑拉姆",
        person__birth_date=dt.date(1985, 2, 1),
        committee=Committee.VILLAGERS,
        position=Position.DIRECTOR,
        start_date=dt.date(2024, 1, 1),
    )
    PersonFactory(home_village=village, name="格桑群众")  # holds no post: never a mentor
    reserve = ReserveCadreFactory(
        village=village,
        plan_year=today.year,
        recommended_on=today,
        reviewed_on=today,
        decided_on=today,
        stage=ReserveStage.DECIDED,
    )
    log_in("staff")
    page.goto(f"/cadres/reserves/{reserve.public_id}/")
    pair = page.get_by_role("heading", name="结对帮").locator("..")
    pair.get_by_label("结对日期").fill(today.isoformat())
    with page.expect_response(lambda response: "/cadres/people/search/" in response.url):
        pair.get_by_role("combobox", name="帮带干部").press_sequentially("格桑")
    options = pair.get_by_role("listbox", name="帮带干部").get_by_role("option")
    expect(options.filter(has_text="格桑达瓦 · 1980年生 · 姑咱示例01村 · 书记")).to_be_visible()
    expect(options.filter(has_text="格桑拉姆 · 1985年生 · 姑咱示例01村 · 主任")).to_be_visible()
    expect(options.filter(has_text="格桑群众")).to_have_count(0)
    options.filter(has_text="格桑达瓦").click()
    page.get_by_role("button", name="结对帮").click()
    expect(page.get_by_text("已办理：结对帮。")).to_be_visible()
    reserve.refresh_from_db()
    assert reserve.mentor == mentor
    assert csp_violations == []


def test_the_county_village_filter_lists_only_the_chosen_townships_villages(
    page, log_in, official, village, other_village, township, csp_violations
):
    VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    log_in("official")
    page.goto("/supervision/")
    villages = page.locator("form.filters select[name=village]")
    expect(villages.locator("option")).to_have_count(4)  # 全部 and three villages
    with page.expect_response(lambda response: "/villages/options/" in response.url):
        page.locator("form.filters select[name=township]").select_option(label="新都桥镇")
    expect(villages.locator("option")).to_have_text(["全部村（社区）", "新都桥示例01村"])
    with page.expect_response(lambda response: "/villages/options/" in response.url):
        page.locator("form.filters select[name=township]").select_option(label="姑咱镇")
    expect(villages.locator("option")).to_have_text(["全部村（社区）", "姑咱示例01村", "姑咱示例02村"])
    assert csp_violations == []
