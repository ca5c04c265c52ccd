"""The issue's "done when" step for mediation in a real browser: a township clerk logs a dispute,
records its mediation (a follow-up visit) and closes it, with a refused closing date on the way."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mediation.models import Dispute, Outcome
from tests.mediation.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_township_clerk_logs_a_dispute_records_its_mediation_and_closes_it(log_in, staff, village):
    MemberFactory(committee__village=village, is_chair=True, person__name="泽仁示戊")
    today = timezone.localdate()
    received = today - dt.timedelta(days=3)

    page = log_in("staff")
    page.get_by_role("link", name="人民调解").first.click()
    page.get_by_role("link", name="登记矛盾纠纷").click()
    page.get_by_label("村（社区）").select_option(label=village.name)
    page.get_by_label("受理日期").fill(received.isoformat())
    page.get_by_label("当事人").fill("扎西示甲、卓玛示乙 13812345678")
    page.get_by_label("纠纷类别").select_option(label="草场及虫草采挖区")
    page.get_by_label("纠纷概要").fill("两户对虫草采挖区范围各执一词。")
    page.get_by_label("调解员").select_option(index=1)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("当事人只填姓名，请勿填写身份证号码或电话号码。")).to_be_visible()
    assert not Dispute.objects.exists()
    page.get_by_label("当事人").fill("扎西示甲、卓玛示乙")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("纠纷已登记。")).to_be_visible()

    page.get_by_label("回访日期").fill(today.isoformat())
    page.get_by_label("回访情况").fill("调解员上门，双方同意按原分界线采挖。")
    page.get_by_role("button", name="记录回访").click()
    expect(page.get_by_text("回访已记录。")).to_be_visible()

    page.get_by_role("link", name="办结").click()
    page.get_by_label("办结结果").select_option(label="达成协议")
    page.get_by_label("办结日期").fill((received - dt.timedelta(days=1)).isoformat())
    page.get_by_label("达成协议日期").fill(today.isoformat())
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text(f"办结日期不能早于受理日期（{received.isoformat()}）")).to_be_visible()
    page.get_by_label("办结日期").fill(today.isoformat())
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("将以“达成协议”")).to_be_visible()
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("纠纷已办结。")).to_be_visible()
    dispute = Dispute.objects.get()
    assert (dispute.outcome, dispute.agreement_on, dispute.closed_on) == (Outcome.AGREEMENT, today, today)
    assert dispute.follow_ups.count() == 1
    expect(page.get_by_role("link", name="更正办结结果")).to_be_visible()
