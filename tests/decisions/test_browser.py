"""The issue's "done when" path in a real browser: a township user takes a 三必议 matter from proposal to
disclosed result through the forms on the matter page, the printed notice fits one A4 sheet and shows
no ID or phone number, and an anonymous visitor finds the disclosed resolution on the public board."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions import services
from decisions.models import Matter, StepKind
from decisions.views import notice_density
from tests.decisions.factories import MatterFactory, advance
from tests.factories import TEST_PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ID_NUMBER = "51330119800101123X"
MOBILE = "13812345678"
TITLE = "村道硬化工程"

# One page object per printed sheet; "/Type /Pages" is the page tree, not a page.
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _pdf_pages(page) -> int:
    page.emulate_media(media="print")
    return len(PDF_PAGE.findall(page.pdf(format="A4")))


def _fill_vote(page, *, due, present, votes_for, against=0, abstain=0):
    form = page.locator("#next-step")
    form.get_by_label("应到人数").fill(str(due))
    form.get_by_label("实到人数").fill(str(present))
    form.get_by_label("赞成票").fill(str(votes_for))
    form.get_by_label("反对票").fill(str(against))
    form.get_by_label("弃权票").fill(str(abstain))


def _record(page, step: str, *, on: dt.date | None = None, confirm: bool = True):
    """Fill the date (``on``), submit the step form and, unless ``confirm`` is False (a form the rules
    refuse), confirm it on the confirmation page."""
    if on is not None:
        page.locator("#next-step input[name=held_on]").fill(on.isoformat())
    page.locator("#next-step").get_by_role("button", name=f"录入{step}").click()
    if confirm:
        page.locator("#confirm-step").get_by_role("button", name="确认录入").click()


def _timeline_item(page, step: str):
    return page.locator("ol.timeline > li").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{step} "))
    )


def _create_matter(page, village):
    page.goto("/decisions/")
    page.get_by_role("link", name="新建事项").click()
    page.get_by_label("村（社区）").select_option(label=village.name)
    page.get_by_label("事项名称").fill(TITLE)
    page.get_by_label("类别").select_option(label="项目实施")
    page.get_by_label("金额（元）").fill("860000")
    page.get_by_label("事项内容").fill(
        f"硬化村道3公里，资金来源为上级补助和村集体经济收入。联系人身份证{ID_NUMBER}，电话{MOBILE}。"
    )
    planned = timezone.localdate() + dt.timedelta(days=90)
    page.get_by_label("计划完成日期").fill(planned.isoformat())
    page.get_by_role("button", name="创建事项").click()
    expect(page.get_by_text("事项已创建，请录入提议。")).to_be_visible()
    return Matter.objects.get(title=TITLE)


def test_a_matter_goes_from_proposal_to_disclosed_result_and_is_public(
    log_in, browser, live_server, staff, village
):
    page = log_in("staff", viewport=DESKTOP)
    matter = _create_matter(page, village)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert "三必议" in page.locator("dl.facts").inner_text()

    early = timezone.localdate() - dt.timedelta(days=14)
    page.locator("#next-step").get_by_label("提议内容").fill("村党支部提议硬化村道。")
    _record(page, "提议", on=early)
    expect(page.get_by_text("已录入“提议”。")).to_be_visible()

    _fill_vote(page, due=7, present=7, votes_for=7)
    _record(page, "商议", on=early)
    expect(page.get_by_text("已录入“商议”。")).to_be_visible()

    # 审议 with 5 of 9 party members present: one short of 2/3. Nothing is saved.
    _fill_vote(page, due=9, present=5, votes_for=5)
    _record(page, "审议", on=early, confirm=False)
    expect(page.get_by_text("审议须2/3以上党员到会：应到9人，实到5人，会议无效。")).to_be_visible()
    expect(page.get_by_text("已录入“审议”。")).to_have_count(0)
    page.goto(f"/decisions/{matter.public_id}/")
    assert "待录入" in _timeline_item(page, "审议").inner_text()
    assert list(matter.steps.values_list("kind", flat=True)) == [StepKind.PROPOSE, StepKind.CONSULT]
    matter.refresh_from_db()
    assert matter.state == Matter.State.CONSULTED

    # Exactly 2/3 present, 5 of 9 for (more than half of those due): the review passes.
    _fill_vote(page, due=9, present=6, votes_for=5, against=1)
    _record(page, "审议", on=early)
    expect(page.get_by_text("已录入“审议”。")).to_be_visible()
    assert "应到 9 人，实到 6 人" in _timeline_item(page, "审议").inner_text()

    # The 决议 form, the longest one, works on a phone without sideways scrolling.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#next-step").get_by_label("会议类型")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    page.locator("#next-step").get_by_label("会议类型").select_option(label="村民代表会议")
    _fill_vote(page, due=30, present=20, votes_for=16, against=3, abstain=1)
    _record(page, "决议", on=early)
    expect(page.get_by_text("已录入“决议”。")).to_be_visible()

    assert page.locator("#next-step").get_by_label("公开地点").input_value() == "村务公开栏"
    assert page.locator("#next-step").get_by_label("公示天数").input_value() == "7"
    _record(page, "决议公开", on=early)
    expect(page.get_by_text("已录入“决议公开”。")).to_be_visible()

    page.locator("#next-step").get_by_label("实施结果").fill(
        f"村道已按决议硬化完成，经验收合格。如有疑问请致电{MOBILE}。"
    )
    _record(page, "实施结果公开")
    expect(page.get_by_text("已录入“实施结果公开”。")).to_be_visible()
    assert page.locator("#next-step").count() == 0  # nothing left to record
    matter.refresh_from_db()
    assert matter.state == Matter.State.COMPLETED
    assert matter.steps.count() == 6

    # The printable notice: one A4 sheet, no ID or phone number anywhere on it.
    page.get_by_role("link", name="打印公示").click()
    page.wait_for_url(f"**/decisions/{matter.public_id}/notice/")
    notice = page.locator("article.notice").inner_text()
    assert "实施结果公示" in notice
    assert TITLE in notice and "村道已按决议硬化完成" in notice
    assert ID_NUMBER not in page.content() and MOBILE not in page.content()
    assert _pdf_pages(page) == 1

    # An anonymous visitor finds the resolution: county → township → village, and by search.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    visitor = context.new_page()
    visitor.set_default_timeout(10_000)
    visitor.goto("/public/")
    assert not visitor.get_by_role("button", name="退出").count()
    visitor.get_by_role("link", name="康定市").click()
    visitor.get_by_role("link", name="姑咱镇").click()
    visitor.get_by_role("link", name=village.name).click()
    visitor.wait_for_url(f"**/public/village/{village.code}/")
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(f"**/public/matters/{matter.public_id}/")
    assert "决议通过" in visitor.locator("article.notice").inner_text()
    assert ID_NUMBER not in visitor.content() and MOBILE not in visitor.content()

    visitor.goto("/public/")
    visitor.get_by_label("村（社区）名称").fill("示例01")
    visitor.get_by_role("button", name="查询").click()
    visitor.wait_for_url("**/public/search/**")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    # ... and by a word of the matter's title (issue [6/10]).
    visitor.goto("/public/")
    visitor.get_by_label("村（社区）名称").fill(TITLE[1:4])
    visitor.get_by_role("button", name="查询").click()
    visitor.wait_for_url("**/public/search/**")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    context.close()


def test_a_swapped_vote_is_caught_on_the_confirmation_page_and_a_step_is_corrected_with_a_reason(
    browser, live_server, staff, village
):
    """Issue [6/10]: the confirmation (without JavaScript) shows a failing vote in red; 返回修改 keeps
    what was typed; a recorded step is corrected with a reason shown as 更正 on the matter."""
    matter = advance(MatterFactory(village=village, created_by=staff), user=staff, through=StepKind.CONSULT)
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
    page.goto(f"/decisions/{matter.public_id}/")
    day = timezone.localdate()
    # 20 party members, 15 present; meant 11 for / 3 against, typed the wrong way round.
    _fill_vote(page, due=20, present=15, votes_for=3, against=11, abstain=1)
    page.locator("#next-step input[name=held_on]").fill(day.isoformat())
    page.locator("#next-step").get_by_role("button", name="录入审议").click()
    outcome = page.locator("#confirm-outcome")
    expect(outcome).to_contain_text("表决未通过：事项将以“未通过”结束")
    assert outcome.evaluate("e => getComputedStyle(e).color") == "rgb(207, 34, 46)"  # --bad, not green
    page.get_by_role("button", name="返回修改").click()
    form = page.locator("#next-step")
    assert form.get_by_label("赞成票").input_value() == "3"
    assert form.get_by_label("反对票").input_value() == "11"
    form.get_by_label("赞成票").fill("11")
    form.get_by_label("反对票").fill("3")
    form.get_by_role("button", name="录入审议").click()
    expect(page.locator("#confirm-outcome")).to_contain_text("录入后事项状态为“已审议”")
    page.get_by_role("button", name="确认录入").click()
    expect(page.get_by_text("已录入“审议”。")).to_be_visible()

    page.get_by_role("link", name="更正商议").click()
    page.get_by_label("日期").fill("2025-03-11")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("这个字段是必填项。").or_(page.get_by_text("请填写更正原因"))).to_be_visible()
    assert page.get_by_label("日期").input_value() == "2025-03-11"  # kept after the error
    page.get_by_label("更正原因").fill("会议记录上的日期是3月11日。")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("已更正“商议”，更正原因已记录。")).to_be_visible()
    correction = _timeline_item(page, "商议").locator(".correction")
    expect(correction).to_contain_text("更正")
    expect(correction).to_contain_text("会议记录上的日期是3月11日。")
    expect(correction).to_contain_text("2025-03-10 → 2025-03-11")
    context.close()


def test_the_resolution_notice_prints_on_one_a4_page_before_the_result(log_in, staff, village):
    """The notice is posted right after the 决议公开, before any result exists; its text is long."""
    matter = MatterFactory(
        village=village, created_by=staff, description=f"身份证{ID_NUMBER}，电话{MOBILE}。" + "说明" * 700
    )
    advance(matter, user=staff, through=StepKind.DISCLOSE_RESOLUTION)
    page = log_in("staff", viewport=DESKTOP)
    page.goto(f"/decisions/{matter.public_id}/")
    page.get_by_role("link", name="打印公示").click()
    expect(page.get_by_role("heading", name="决议公示")).to_be_visible()
    assert ID_NUMBER not in page.content() and MOBILE not in page.content()
    assert _pdf_pages(page) == 1


def _long_matter(staff, village, *, title, description, outcome):
    matter = MatterFactory(
        village=village, created_by=staff, title=title, description=description, amount=None
    )
    advance(matter, user=staff, through=StepKind.DISCLOSE_RESOLUTION)
    services.matter_disclose_result(
        matter=matter, user=staff, held_on=dt.date(2025, 4, 30), outcome=outcome, place="村务公开栏"
    )
    return matter


def _lines(count: int, width: int) -> str:
    return "\n".join((f"第{n}项" + "内容" * width)[:width] for n in range(count))


LONG_TITLE = "关于" + "村集体经济" * 23 + "的事项"  # 120 characters, the model's maximum

# (description, outcome, print layout): every text at its maximum, with and without line breaks, and
# each layout at its most crowded, just below the point where the next, denser one takes over.
LONG_NOTICES = {
    "every_field_at_its_maximum": ("事" * 1500, "果" * 1500, "dense"),
    "maximum_with_many_short_lines": ("事\n" * 750, "果\n" * 750, "dense flow"),
    "maximum_in_paragraphs": (_lines(15, 99), _lines(15, 99), "dense flow"),
    "just_below_flow": ("事" * 1500, "果" * 1018 + "\n" * 11, "dense"),
    "just_below_dense": ("事" * 700, "果" * 429, "compact"),
    "just_below_dense_in_lines": (_lines(10, 10), _lines(10, 6), "compact"),
    "just_below_compact": ("事" * 500, "果" * 229, ""),
    "just_below_compact_in_lines": (_lines(7, 10), _lines(6, 8), ""),
}


@pytest.mark.parametrize("case", LONG_NOTICES)
def test_the_full_text_of_the_longest_notices_prints_on_one_a4_page(log_in, staff, village, case):
    description, outcome, layout = LONG_NOTICES[case]
    assert notice_density(LONG_TITLE, description, outcome) == layout
    matter = _long_matter(staff, village, title=LONG_TITLE, description=description, outcome=outcome)
    page = log_in("staff", viewport=DESKTOP)
    page.goto(f"/decisions/{matter.public_id}/notice/")
    text = page.locator("article.notice").inner_text()
    # Nothing is cut: the last characters of both texts are on the sheet.
    assert description.strip()[-20:].replace("\n", "") in text.replace("\n", "").replace(" ", "")
    assert outcome.strip()[-20:].replace("\n", "") in text.replace("\n", "").replace(" ", "")
    assert _pdf_pages(page) == 1
