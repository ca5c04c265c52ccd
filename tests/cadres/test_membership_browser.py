"""The issue's "done when" for members, in a real browser: a township user moves a member from one
branch to another (confirming first) and gives a member without an office a duty post."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadres.membership import branch_member_counts, ensure_default_duty_kinds
from cadres.models import Committee, DutyAssignment, JoinKind, Membership, Position
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import VillageFactory
from villages.models import PartyBranch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def _member(village, name, **kwargs):
    person = PersonFactory(home_village=village, name=name)
    branch = PartyBranch.objects.get(village=village, kind="village")
    joined = dt.date(2020, 1, 1)
    return Membership.objects.create(
        person=person,
        branch=branch,
        joined_on=joined,
        joined_how=JoinKind.REGISTERED,
        full_since=joined,
        **kwargs,
    )


def test_a_township_user_moves_a_member_and_gives_a_duty_post(
    log_in, staff, township, village, csp_violations
):
    second = VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    source = PartyBranch.objects.get(village=village, kind="village")
    target = PartyBranch.objects.get(village=second, kind="village")
    _member(village, "迁移党员")
    _member(village, "无职党员")
    office = _member(village, "书记党员")
    PostFactory(
        village=village, person=office.person, committee=Committee.BRANCH, position=Position.SECRETARY
    )
    today = timezone.localdate()
    ensure_default_duty_kinds()  # seeded by the migration; emptied tables of earlier browser tests lose them

    page = log_in("staff")
    page.goto(f"/branches/{source.public_id}/")
    roll = page.locator("#member-roll")
    expect(roll.get_by_role("row", name="书记党员")).to_contain_text("现任两委职务")
    roll.get_by_role("row", name="迁移党员").get_by_role("link", name="转接").click()
    page.get_by_label("转入党组织").select_option(label=f"{target.name}（{township.name}）")
    page.get_by_label("转接日期").fill(today.isoformat())
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#confirm-outcome")).to_contain_text(f"同日转入{target.name}")
    assert Membership.objects.filter(branch=target).count() == 0
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("已办理")).to_be_visible()
    expect(page.locator("#member-roll")).not_to_contain_text("迁移党员")
    expect(page.locator("#member-departed")).to_contain_text("迁移党员")
    assert branch_member_counts([source.pk, target.pk], on=today) == {source.pk: (2, 0), target.pk: (1, 0)}

    roll = page.locator("#member-roll")
    expect(roll.get_by_role("row", name="书记党员").get_by_role("link", name="设岗")).to_have_count(0)
    roll.get_by_role("row", name="无职党员").get_by_role("link", name="设岗").click()
    page.get_by_label("岗位").select_option(label="环境监督岗")
    page.get_by_label("履职要求").fill("每月巡查村内河道一次")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("row", name="无职党员")).to_contain_text("环境监督岗")
    duty = DutyAssignment.objects.get()
    assert (duty.membership.person.name, duty.year, duty.note) == (
        "无职党员",
        today.year,
        "每月巡查村内河道一次",
    )
    assert csp_violations == []
