"""Issue [6/10] in Chromium: a recorded development stage is corrected from the 更正 link beside it;
a blank reason comes back in place with the typed date kept; a correction that would fail the
confirmation vote is refused; the saved correction is listed on the record with who and why."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cadres.models import Development, DevelopmentCorrection
from tests.cadres.factories import DevelopmentFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 375, "height": 740}
REASON = "转正日期抄错，依据支部大会记录本更正。"


def test_a_confirmation_date_is_corrected_with_a_reason_on_a_phone(page, log_in, staff, village):
    development = DevelopmentFactory(
        village=village,
        person=PersonFactory(home_village=village, name="次仁央宗", birth_date=dt.date(1990, 5, 1)),
        stage="full_member",
        applied_on=dt.date(2023, 1, 10),
        talked_on=dt.date(2023, 1, 20),
        activist_on=dt.date(2023, 2, 1),
        candidate_on=dt.date(2024, 2, 1),
        admitted_on=dt.date(2024, 3, 1),
        admission_due=9,
        admission_present=7,
        admission_yes=6,
        probation_ends_on=dt.date(2025, 3, 1),
        confirmed_on=dt.date(2025, 3, 5),
        confirmation_due=9,
        confirmation_present=8,
        confirmation_yes=7,
    )
    log_in("staff", viewport=PHONE)
    page.goto(f"/cadres/development/{development.public_id}/")
    stage = page.locator("ol.timeline li").filter(has_text="支部大会通过转为正式党员")
    stage.get_by_role("link", name="更正").click()

    date = page.get_by_label("转正支部大会日期")
    assert date.input_value() == "2025-03-05"  # prefilled with the recorded value
    date.fill("2025-03-10")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("更正须填写原因。")).to_be_visible()
    assert page.get_by_label("转正支部大会日期").input_value() == "2025-03-10"

    # 4 yes votes of 9 due would not have passed: refused, not recorded as a correction.
    page.get_by_label("赞成票（转正）").fill("4")
    page.get_by_label("更正原因").fill(REASON)
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("表决结果由“通过”变为“未通过”", exact=False)).to_be_visible()
    assert not DevelopmentCorrection.objects.exists()

    page.get_by_label("赞成票（转正）").fill("7")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("已更正，原因已记录。")).to_be_visible()
    assert page.url.split("#")[0].endswith(f"/cadres/development/{development.public_id}/")
    corrections = page.locator("section.corrections")
    expect(corrections).to_contain_text(REASON)
    expect(corrections).to_contain_text("staff")
    expect(corrections).to_contain_text("转正支部大会日期：2025-03-05 → 2025-03-10")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Development.objects.get().confirmed_on == dt.date(2025, 3, 10)
