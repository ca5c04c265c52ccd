"""The issue's "done when" path for 六个标准化 in a real browser: a township user marks rules
adopted for a village and submits a yearly review; the county official edits the county's
catalogue, confirms the review and sees the township ranking."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from standards.models import Area, Review, Rule
from tests.standards.factories import RuleFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_rules_adopted_review_submitted_confirmed_and_ranked(
    log_in, staff, official, county, township, village
):
    first = RuleFactory(county=county, area=Area.OPERATION, code="ZZYX-01", title="支部委员会每月开会")
    RuleFactory(county=county, area=Area.LIFE, code="ZZSH-01", title="每月主题党日")
    RuleFactory(county=county, area=Area.RECORDS, code="NYGF-01", title="党费台账按月登记")
    branch = village.branches.get()

    page = log_in("staff")
    page.get_by_role("link", name="六个标准化").first.click()
    page.goto(f"/standards/villages/{village.code}/")
    page.get_by_label("支部委员会每月开会").check()
    page.get_by_label("每月主题党日").check()
    page.get_by_label("佐证说明").fill("制度已上墙，见活动室照片。")
    page.get_by_role("button", name="记录采纳").click()
    expect(page.get_by_text("已记录 2 条规范的采纳。")).to_be_visible()
    expect(page.get_by_text("66.7%").first).to_be_visible()

    page.goto("/standards/reviews/new/")
    page.get_by_label("党组织").select_option(label=branch.name)
    for k, area in enumerate(Area):
        page.get_by_label(f"{area.label}得分").fill(str(80 + k))
        page.get_by_label(f"{area.label}佐证").fill(f"{area.label}台账齐全。")
    page.get_by_label("考评人").fill("乡镇党建办")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("考评草稿已保存，核对后请提交。")).to_be_visible()
    page.get_by_role("link", name="提交", exact=True).click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("考评已提交。")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    log_in("official")
    page.goto("/standards/rules/")
    page.get_by_role("link", name="新增规范").click()
    page.get_by_label("领域").select_option(label="阵地建设")
    page.get_by_label("编号").fill("ZDJS-09")
    page.get_by_label("规范名称").fill("党员活动室悬挂党旗")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新增规范")).to_be_visible()
    page.goto(f"/standards/rules/{first.public_id}/")
    page.get_by_role("link", name="修改").click()
    page.get_by_label("规范名称").fill("支部委员会每月至少开会一次")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("规范已保存。")).to_be_visible()
    assert Rule.objects.get(pk=first.pk).title == "支部委员会每月至少开会一次"

    page.goto("/standards/reviews/?state=submitted")
    page.get_by_role("link", name=branch.name).click()
    page.get_by_role("link", name="确认", exact=True).click()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("考评已确认。")).to_be_visible()
    assert Review.objects.get().state == Review.State.CONFIRMED

    page.goto("/standards/ranking/")
    row = page.get_by_role("row", name=township.name)
    # (80 + 81 + 82 + 83 + 84 + 85) / 6 = 82.50
    expect(row).to_contain_text("82.50")
    row.get_by_role("link", name="82.50").click()
    year = timezone.localdate().year
    expect(page.get_by_text("共 1 份考评")).to_be_visible()
    assert page.url.endswith(f"/standards/reviews/?year={year}&township={township.code}&state=confirmed")
