"""The issue's "done when" step in a real browser: a county official changes the county's reporting
deadline for next month on /settings/, and sees the change scheduled with who made it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import ReportingPolicy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_county_official_moves_next_months_reporting_deadline(log_in, official, county):
    today = timezone.localdate()
    next_month = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    page = log_in("official")
    page.goto("/settings/")
    section = page.locator("#settings-supervision")
    # A bad value first: the message, nothing saved, the typed values kept.
    section.get_by_label("生效日期").fill(next_month.isoformat())
    section.get_by_label("月报截止日（次月几日）").fill("31")
    section.get_by_role("button", name="保存").click()
    section = page.locator("#settings-supervision")
    expect(section.get_by_text("应在 1 到 28 之间。")).to_be_visible()
    expect(section.get_by_label("月报截止日（次月几日）")).to_have_value("31")
    assert not ReportingPolicy.objects.filter(county=county).exists()
    section.get_by_label("月报截止日（次月几日）").fill("10")
    section.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存：自 {next_month.isoformat()} 起适用。")).to_be_visible()
    scheduled = page.locator("#settings-supervision table").nth(1)
    expect(scheduled).to_contain_text(next_month.isoformat())
    expect(scheduled).to_contain_text("official")
    row = ReportingPolicy.objects.get(county=county)
    assert (row.effective_from, row.monthly_due_day) == (next_month, 10)
