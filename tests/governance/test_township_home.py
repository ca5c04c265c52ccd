"""The home page says what needs doing now, most urgent first (governance/hooks.py ``order``):
a township sees its returned reports (已退回 with the reason) first, then this period's missing
reports, then decision steps, then terms ending; a county official's "逾期超过10天" list starts
with the latest period's missing villages, not the oldest."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Kind, Report
from tests.clock import Clock
from tests.factories import UserFactory, VillageFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(monkeypatch, *args):
    monkeypatch.setattr(timezone, "now", Clock(dt.datetime(*args, tzinfo=SHANGHAI)))


def _positions(html: str, *needles: str) -> list[int]:
    found = [html.find(needle) for needle in needles]
    assert -1 not in found, dict(zip(needles, found, strict=True))
    return found


def test_a_township_sees_returned_reports_first_then_missing_ones_then_decisions_then_cadres(
    monkeypatch, staff_client, staff, village, township
):
    _at(monkeypatch, 2025, 4, 3, 10)  # 2025年3月 is due 04-05: within the three days of reminder
    february = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=2)
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    at = dt.datetime(2025, 3, 3, 9, tzinfo=SHANGHAI)
    returned = ReportFactory(
        village=village,
        period=february,
        status=Report.Status.RETURNED,
        first_submitted_at=at,
        submitted_at=at,
        return_reason="财务部分缺少支出明细。",
    )
    html = staff_client.get(reverse("home")).content.decode()
    returned_at, missing_at, decisions_at, cadres_at = _positions(
        html,
        "财务部分缺少支出明细。",
        f"?village=513301101202&amp;period={march.key}",
        "<h2>四议两公开</h2>",
        "<h2>干部工作提醒</h2>",
    )
    assert returned_at < missing_at < decisions_at < cadres_at
    # Marked as returned, a link to the report, not shown as a draft.
    block = html[html.find("被县级退回") : missing_at]
    assert "已退回" in block and reverse("supervision:report_detail", args=[returned.public_id]) in block
    assert "草稿" not in block


def test_the_county_list_of_late_reports_starts_with_the_latest_period(monkeypatch, official_client, village):
    _at(monkeypatch, 2025, 4, 20, 10)  # March (due 04-05) is 15 days late, February (due 03-05) 46
    february = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=2)
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    html = official_client.get(reverse("home")).content.decode()
    march_at, february_at = _positions(html, march.title, february.title)
    assert march_at < february_at


def test_the_county_list_leaves_out_a_period_ten_days_late_and_lists_one_eleven_days_late(
    monkeypatch, official_client, village
):
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)  # due 2025-04-05
    _at(monkeypatch, 2025, 4, 15, 10)
    assert march.title not in official_client.get(reverse("home")).content.decode()
    _at(monkeypatch, 2025, 4, 16, 10)
    assert march.title in official_client.get(reverse("home")).content.decode()


def test_a_township_home_names_its_late_matters_and_ending_terms_not_another_townships(
    staff_client, staff, village, other_village
):
    """The to-do list links to the work itself: the disclosure step that is late, the village roster
    of a term ending within 90 days; another township's are not listed."""
    from decisions.models import StepKind
    from tests.cadres.factories import PostFactory
    from tests.decisions.factories import MatterFactory, advance

    today = timezone.localdate()
    late = advance(
        MatterFactory(village=village, created_by=staff, title="村道硬化项目"),
        user=staff,
        through=StepKind.RESOLVE,
        start=today - dt.timedelta(days=60),
    )
    other_staff = UserFactory(username="other_clerk", township=other_village.township)
    advance(
        MatterFactory(village=other_village, created_by=other_staff, title="别乡事项"),
        user=other_staff,
        through=StepKind.RESOLVE,
        start=today - dt.timedelta(days=60),
    )
    PostFactory(village=village, term_end=today + dt.timedelta(days=30))
    PostFactory(village=other_village, term_end=today + dt.timedelta(days=30))
    html = staff_client.get(reverse("home")).content.decode()
    step = reverse("decisions:step_record", args=[late.public_id, "disclose-resolution"])
    assert step in html and "村道硬化项目" in html and "别乡事项" not in html
    assert reverse("cadres:roster", args=[village.code]) in html
    assert reverse("cadres:roster", args=[other_village.code]) not in html
