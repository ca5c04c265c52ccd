"""Period pickers (DHIS2-style), the county table's links down to the township grids, the stated
timeliness rule for returned reports, and the grouped home panel."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from supervision.models import Kind, ReportingPeriod, ReportingPolicy
from supervision.panels import home_panel
from supervision.selectors import latest_due_month, period_choices, period_neighbours
from tests.factories import VillageFactory
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

HOME_QUERIES = 5  # policy twice, the periods, one per period in the window, the returned reports
RULE = "报告被县级退回、修改后重新提交，不改变首次提交时间"


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


def _select(body: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', body, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def _selected(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', select)


@pytest.fixture
def month():
    year, number = latest_due_month(timezone.localdate())
    return PeriodFactory(kind=Kind.MONTHLY, year=year, number=number)


# --- the picker's options -------------------------------------------------------------------------


def test_period_choices_are_grouped_by_kind_newest_first_and_never_in_the_future():
    groups = dict(period_choices(dt.date(2026, 5, 20)))
    assert list(groups) == ["月报", "季度汇总", "年度述职"]
    assert groups["月报"][:2] == [("2026-05", "2026年5月"), ("2026-04", "2026年4月")]
    assert groups["月报"][-1] == ("2024-01", "2024年1月")
    assert groups["季度汇总"][0] == ("2026-Q2", "2026年第2季度")
    assert groups["年度述职"] == [("2026", "2026年度"), ("2025", "2025年度"), ("2024", "2024年度")]


@pytest.mark.parametrize(
    ("key", "today", "expected"),
    [
        ("2025-01", dt.date(2026, 5, 1), ("2024-12", "2025-02")),
        ("2025-12", dt.date(2026, 5, 1), ("2025-11", "2026-01")),
        ("2026-05", dt.date(2026, 5, 1), ("2026-04", None)),
        ("2025-Q1", dt.date(2026, 5, 1), ("2024-Q4", "2025-Q2")),
        ("2025", dt.date(2025, 12, 31), ("2024", None)),
        ("2025", dt.date(2026, 1, 1), ("2024", "2026")),
    ],
)
def test_period_neighbours_wrap_years_and_stop_before_the_future(key, today, expected):
    period = ReportingPeriod.build(*ReportingPeriod.parse_key(key))
    assert period_neighbours(period, today) == expected


# --- the report list --------------------------------------------------------------------------------


def test_the_list_picks_a_period_from_a_grouped_select(official_client, month):
    body = official_client.get(f"{url('index')}?period={month.key}").content.decode()
    select = _select(body, "period")
    assert '<optgroup label="月报">' in select and '<optgroup label="季度汇总">' in select
    assert _selected(select) == [month.key]
    assert 'type="text" name="period"' not in body


def test_an_older_period_in_the_url_stays_selected(official_client):
    body = official_client.get(f"{url('index')}?period=2019-Q2").content.decode()
    assert _selected(_select(body, "period")) == ["2019-Q2"]


def test_the_late_filter_reads_all_late_or_not_late(official_client):
    select = _select(official_client.get(url("index")).content.decode(), "late")
    assert re.findall(r">([^<]+)</option>", select) == ["全部", "逾期", "未逾期"]


# --- the month grid ---------------------------------------------------------------------------------


def test_the_grid_offers_a_month_picker_on_the_shown_month(staff_client, township, month):
    body = staff_client.get(url("grid", township.code, month.year, month.number)).content.decode()
    select = _select(body, "period")
    assert _selected(select) == [month.key]
    assert "季度" not in select
    assert f'action="{url("grid_default")}"' in body


def test_the_grid_picker_opens_the_chosen_township_and_month(official_client, other_township):
    response = official_client.get(f"{url('grid_default')}?township={other_township.code}&period=2025-03")
    assert response.url == url("grid", other_township.code, 2025, 3)


def test_the_grid_picker_never_opens_another_townships_grid(staff_client, township, other_township):
    response = staff_client.get(f"{url('grid_default')}?township={other_township.code}&period=2025-03")
    assert response.url == url("grid", township.code, 2025, 3)


def test_the_grid_picker_ignores_a_non_monthly_period(staff_client, township):
    year, number = latest_due_month(timezone.localdate())
    response = staff_client.get(f"{url('grid_default')}?period=2025-Q1")
    assert response.url == url("grid", township.code, year, number)


# --- the county table --------------------------------------------------------------------------------


def test_the_county_table_picks_a_period_and_links_to_the_township_grids(official_client, township, month):
    body = official_client.get(f"{url('completeness')}?period={month.key}").content.decode()
    assert _selected(_select(body, "period")) == [month.key]
    assert url("grid", township.code, month.year, month.number) in body
    prev_key, _next = period_neighbours(month, timezone.localdate())
    assert f'href="?period={prev_key}" rel="prev"' in body


def test_the_county_table_of_a_quarter_links_to_the_townships_reports(official_client, township):
    body = official_client.get(f"{url('completeness')}?period=2025-Q1").content.decode()
    assert f"{url('index')}?township={township.code}&amp;period=2025-Q1" in body
    assert 'href="?period=2024-Q4" rel="prev"' in body and 'href="?period=2025-Q2" rel="next"' in body


def test_a_bad_period_still_offers_the_picker(official_client):
    response = official_client.get(f"{url('completeness')}?period=2026-13")
    assert response.status_code == 400
    assert "<optgroup" in _select(response.content.decode(), "period")


# --- the timeliness rule of returned reports ---------------------------------------------------------


def test_the_county_table_and_the_grid_state_the_rule_for_returned_reports(
    official_client, staff_client, township, month
):
    assert RULE in official_client.get(f"{url('completeness')}?period={month.key}").content.decode()
    assert RULE in staff_client.get(url("grid", township.code, month.year, month.number)).content.decode()


def test_a_returned_report_says_its_timeliness_follows_the_first_submission(staff_client, village, march):
    report = ReportFactory(
        village=village,
        period=march,
        status="returned",
        return_reason="补充附件",
        first_submitted_at=local(2025, 4, 5, 23, 59),
        submitted_at=local(2025, 4, 20),
    )
    body = staff_client.get(url("report_detail", report.public_id)).content.decode()
    assert "是否按时以首次提交时间（2025-04-05 23:59）为准，重新提交不会改变。" in body
    assert "按时提交" in body and "逾期提交" not in body
    assert "最近提交" in body


# --- the home panel -----------------------------------------------------------------------------------


@pytest.fixture
def april_20(monkeypatch):
    """Fifteen days after 2025年3月's due date (2025-04-05)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2025, 4, 20, 10))


def test_the_home_panel_groups_due_villages_under_their_period(
    staff_client, village, township, march, april_20
):
    second = VillageFactory(township=township)
    body = staff_client.get(reverse("home")).content.decode()
    assert body.count("2025年3月月报") == 1
    assert f"village={second.code}&amp;period=2025-03" in body
    assert "逾期 15 天" in body
    assert f"{url('report_new')}?village={village.code}&amp;period=2025-03" in body


def test_the_county_home_panel_links_overdue_villages_to_their_grid(
    official_client, village, township, march, april_20
):
    ReportingPolicy.objects.create(escalate_after_days=12)
    body = official_client.get(reverse("home")).content.decode()
    assert "逾期超过12天的监督报告" in body
    assert url("grid", township.code, 2025, 3) in body


def test_the_entry_form_picks_its_period_from_the_picker(staff_client, village, month):
    body = staff_client.get(f"{url('report_new')}?village={village.code}&period={month.key}").content.decode()
    select = _select(body, "period")
    assert _selected(select) == [month.key]
    assert '<option value="">请选择期次</option>' in select


def test_an_official_can_reopen_a_locked_draft_from_the_report_page(official_client, village, march):
    draft = ReportFactory(village=village, period=march)
    detail = url("report_detail", draft.public_id)
    body = official_client.get(detail).content.decode()
    action = url("exception_open", village.code, march.key)
    assert f'action="{action}"' in body
    response = official_client.post(action, {"reason": "系统故障补报", "next": detail})
    assert response.url == detail
    assert "为本村开放例外" not in official_client.get(detail).content.decode()


def test_the_grid_offers_no_next_month_that_has_not_started(staff_client, township):
    today = timezone.localdate()
    body = staff_client.get(url("grid", township.code, today.year, today.month)).content.decode()
    assert 'rel="next"' not in body and 'rel="prev"' in body
    body = staff_client.get(url("grid", township.code, 2025, 3)).content.decode()
    assert f'href="{url("grid", township.code, 2025, 4)}" rel="next"' in body


@pytest.mark.parametrize("villages", [3, 30])
def test_the_home_panel_keeps_its_query_count(
    staff, township, march, april_20, villages, django_assert_max_num_queries
):
    for _ in range(villages):
        VillageFactory(township=township)
    with django_assert_max_num_queries(HOME_QUERIES):
        template, panel = home_panel(user=staff)
        body = render_to_string(template, {"panel": panel, "user": staff})
    assert body.count("period=2025-03") == villages


def test_the_health_matrix_and_a_quarterly_report_link_back_up(staff_client, township, village):
    body = staff_client.get(url("health", township.code)).content.decode()
    assert f'href="{url("grid_default")}?township={township.code}"' in body
    quarter = ReportFactory(village=village, period=PeriodFactory(kind=Kind.QUARTERLY, year=2025, number=1))
    body = staff_client.get(url("report_detail", quarter.public_id)).content.decode()
    assert f"{url('index')}?township={township.code}&amp;period=2025-Q1" in body


def test_a_locked_grid_tells_the_official_what_they_can_do(
    official_client, staff_client, township, village, march
):
    grid = url("grid", township.code, 2025, 3)
    official_body = official_client.get(grid).content.decode()
    assert "确需补报的村，可在下表中填写原因为其开放例外。" in official_body
    assert "请联系县级审核人员" not in official_body
    assert "请联系县级审核人员" in staff_client.get(grid).content.decode()
