"""Keyboard only: a township user logs in, goes to the month grid, enters and submits a village's
monthly supervision report with Tab / Shift+Tab, typing, Enter and Space (no mouse), and can see where
the focus is at every step."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Report
from supervision.selectors import latest_due_month
from tests.factories import TEST_PASSWORD, VillageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

MAX_TABS = 60
IS_FOCUSED = "el => el === document.activeElement"
# What the user sees on the focused element: the portal's keyboard-focus outline, 2px or wider (the
# browser's own thin default ring does not count).
FOCUS_SHOWN = """el => {
  const style = getComputedStyle(el);
  return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""
FOCUS_VISIBLE_RULES = """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
  .filter(rule => (rule.selectorText || '').includes(':focus-visible')).length"""


def _focused(page) -> str:
    return page.evaluate("(document.activeElement.outerHTML || '').slice(0, 100)")


def tab_to(page, target, *, key: str = "Tab"):
    """Press Tab (or Shift+Tab) until ``target`` has the focus; fail, listing the stops, if it never does."""
    stops = []
    for _press in range(MAX_TABS):
        if target.evaluate(IS_FOCUSED):
            assert target.evaluate(FOCUS_SHOWN), f"the focus on {_focused(page)} is not visible"
            return
        page.keyboard.press(key)
        stops.append(_focused(page))
    raise AssertionError(f"{key} never reached {target}; the focus went through:\n" + "\n".join(stops))


@pytest.fixture
def unreported(township, village):
    """A village of ``staff``'s township with no report for last month yet."""
    return VillageFactory(township=township, name="姑咱示例02村")


def test_a_monthly_report_is_entered_and_submitted_with_the_keyboard_alone(page, staff, township, unreported):
    year, month = latest_due_month(timezone.localdate())

    # Log in: the user name field has the focus when the page opens.
    page.goto("/accounts/login/")
    expect(page.get_by_label("用户名")).to_be_focused()
    page.keyboard.type("staff")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=township.name)).to_be_visible()  # the start page
    assert page.evaluate(FOCUS_VISIBLE_RULES) > 0  # the portal's stylesheet styles keyboard focus

    # 监督报告 in the main navigation, then 月度填报.
    tab_to(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="监督报告"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/supervision/")
    tab_to(page, page.get_by_role("link", name="月度填报"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/supervision/grid/{unreported.township.code}/{year}/{month}/")

    # On the grid the first Tab shows the skip link; Enter on it jumps past the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), _focused(page)

    # The village's 填报 link opens the entry form.
    tab_to(page, page.get_by_role("row", name=unreported.name).get_by_role("link", name="填报"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"新建监督报告：{unreported.name}")).to_be_visible()

    # The village and the month come pre-selected from the grid; the user fills two sections.
    decisions = page.get_by_label("决策与公开")
    tab_to(page, decisions)
    page.keyboard.type("本月决义均已公示。")  # a typo, corrected below
    page.keyboard.press("Tab")
    expect(page.get_by_label("村级财务与资产")).to_be_focused()
    page.keyboard.type("收支明细已在村务公开栏公布。")

    # Shift+Tab goes back to correct the first section.
    tab_to(page, decisions, key="Shift+Tab")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("本月决议均已公示。")

    # Space on 保存并提交 saves the report and leads to the confirmation step; Space on 确认提交 submits.
    tab_to(page, page.get_by_role("button", name="保存并提交"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="确认提交"))
    page.keyboard.press("Space")
    expect(page.get_by_text("报告已提交。")).to_be_visible()

    report = Report.objects.get(village=unreported, period__year=year, period__number=month)
    assert report.status == Report.Status.SUBMITTED
    assert (report.findings_decisions, report.findings_finances) == (
        "本月决议均已公示。",
        "收支明细已在村务公开栏公布。",
    )
