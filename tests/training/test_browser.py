"""The issue's "done when" step for training in a real browser: a county official creates a class,
records attendance, then sees which secretaries have not been trained this year."""

import pytest
from playwright.sync_api import expect

from cadres.models import Position
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import VillageFactory
from training.models import Attendance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_county_official_creates_a_class_records_attendance_and_sees_who_is_untrained(
    log_in, official, county, township, village, other_village, csp_violations
):
    third = VillageFactory(township=township, code="513301101203", name="姑咱示例03村")
    trained = PostFactory(village=village, person=PersonFactory(name="扎西示甲", home_village=village)).person
    absent = PostFactory(
        village=other_village, person=PersonFactory(name="卓玛示乙", home_village=other_village)
    ).person
    PostFactory(
        village=third, position=Position.SECRETARY, person=PersonFactory(name="次仁示丙", home_village=third)
    )

    page = log_in("official")
    page.goto("/training/")
    page.get_by_role("link", name="新增培训班").click()
    page.get_by_label("培训班名称").fill("村党组织书记示范培训班")
    page.get_by_label("培训地点").fill("县委党校")
    page.get_by_label("学时").fill("8")
    page.get_by_label("村党组织书记", exact=True).check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新增培训班：村党组织书记示范培训班。")).to_be_visible()

    page.get_by_role("row").filter(has_text="扎西示甲").get_by_label("参训", exact=True).check()
    page.get_by_role("row").filter(has_text="卓玛示乙").get_by_label("缺席", exact=True).check()
    page.get_by_role("button", name="保存出勤").click()
    expect(page.get_by_text("缺席须填写原因。")).to_be_visible()  # refused: nothing saved
    assert not Attendance.objects.exists()
    page.get_by_label("卓玛示乙缺席原因").fill("因病请假")
    page.get_by_role("button", name="保存出勤").click()
    expect(page.get_by_text("出勤已保存：新登记2人，修改0人。")).to_be_visible()
    assert {a.person for a in Attendance.objects.all()} == {trained, absent}

    page.get_by_role("link", name="培训覆盖率").first.click()
    page.get_by_role("row").filter(has_text="康定市（合计）").get_by_role("link").click()
    expect(page.get_by_text("共 2 人")).to_be_visible()
    expect(page.get_by_role("cell", name="卓玛示乙")).to_be_visible()
    expect(page.get_by_role("cell", name="次仁示丙")).to_be_visible()
    expect(page.get_by_role("cell", name="扎西示甲")).to_have_count(0)
    assert csp_violations == []
