"""The county desk's review queue (/review/, DESIGN §7): who sees what, oldest first with the age in
days, approving and returning in one step, the navigation count, scoping and query bounds.

Ages are computed by hand from a fixed "now" (tests/clock.py): 2025-04-20 10:00 Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from standards.models import Review
from supervision.models import ExceptionRequest, Kind, Report
from tests.clock import Clock
from tests.factories import CountyFactory, CountyOfficialFactory, TownshipFactory, VillageFactory
from tests.standards.factories import ReviewFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 4, 20, 10, 0, tzinfo=SHANGHAI)


def local(y, m, d, hh=12, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(NOW)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def march(db):
    return PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)


def submitted(village, period, at, *, first=None):
    return ReportFactory(
        village=village,
        period=period,
        status=Report.Status.SUBMITTED,
        first_submitted_at=first or at,
        submitted_at=at,
    )


@pytest.fixture
def far_village(db):
    """A village of another county (甘孜县): never in 康定市's queue."""
    far = CountyFactory(code="513328000000", name="甘孜县")
    township = TownshipFactory(county=far, code="513328100000", name="甘孜镇")
    return VillageFactory(township=township, code="513328100201", name="甘孜示例村")


def _keys(response) -> list[str]:
    return re.findall(r'<tr data-key="([^"]+)"', response.content.decode())


def _ages(response) -> list[int]:
    return [int(a) for a in re.findall(r'data-age="(-?\d+)"', response.content.decode())]


def _nav_count(response) -> int:
    return int(re.search(r'data-queue-count="(\d+)"', response.content.decode()).group(1))


# ---------------------------------------------------------------- who sees what


def test_township_staff_have_no_queue(staff_client, village, march, clock):
    submitted(village, march, local(2025, 4, 1))
    assert staff_client.get(reverse("review")).status_code == 403
    home = staff_client.get(reverse("home")).content.decode()
    assert "data-queue-count" not in home and "等待审核" not in home
    assert (
        staff_client.post(reverse("review_act", args=["supervision.report:x", "approve"])).status_code == 403
    )


def test_a_county_sees_its_county_oldest_first_with_the_age_in_days(
    official_client, village, other_village, far_village, march, clock
):
    # Ages by hand at 2025-04-20 10:00: 04-01 → 19 days; 04-19 23:59 → 1 day; 04-20 00:01 → 0 days.
    old = submitted(other_village, march, local(2025, 4, 1))
    late_yesterday = submitted(
        village, PeriodFactory(kind=Kind.MONTHLY, year=2025, number=2), local(2025, 4, 19, 23, 59)
    )
    this_morning = submitted(
        village, PeriodFactory(kind=Kind.MONTHLY, year=2025, number=1), local(2025, 4, 20, 0, 1)
    )
    submitted(far_village, march, local(2025, 3, 30))  # older, but another county's
    ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2024, number=12))  # a draft

    response = official_client.get(reverse("review"))
    assert response.status_code == 200
    assert _keys(response) == [
        f"supervision.report:{r.public_id}" for r in (old, late_yesterday, this_morning)
    ]
    assert _ages(response) == [19, 1, 0]
    html = response.content.decode()
    assert "甘孜" not in html and "县（市、区）" not in html  # no county column for a county official
    assert _nav_count(response) == 3


def test_an_admin_sees_every_county_with_a_county_column_and_no_actions(
    admin_client_, village, far_village, march, clock
):
    far = submitted(far_village, march, local(2025, 3, 30))
    near = submitted(village, march, local(2025, 4, 2))
    response = admin_client_.get(reverse("review"))
    assert response.status_code == 200
    assert _keys(response) == [f"supervision.report:{far.public_id}", f"supervision.report:{near.public_id}"]
    assert _ages(response) == [21, 18]
    html = response.content.decode()
    assert "县（市、区）" in html and "甘孜县" in html and "康定市" in html
    assert "/approve/" not in html  # only the county's own officials act
    act = reverse("review_act", args=[f"supervision.report:{near.public_id}", "approve"])
    assert admin_client_.post(act).status_code == 403


def test_the_queue_gathers_reports_resubmissions_exception_requests_and_standards_reviews(
    official_client, village, other_village, march, staff, clock
):
    report = submitted(village, march, local(2025, 4, 10))
    again = submitted(other_village, march, local(2025, 4, 12), first=local(2025, 4, 3))
    request = ExceptionRequest.objects.create(
        village=village,
        period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=1),
        reason="村监委会主任病休，未能按时填报。",
        requested_by=staff,
        requested_at=local(2025, 4, 5),
    )
    review = ReviewFactory(
        branch=village.branches.get(), state=Review.State.SUBMITTED, submitted_at=local(2025, 4, 8)
    )
    response = official_client.get(reverse("review"))
    assert _keys(response) == [
        f"supervision.request:{request.public_id}",
        f"standards.review:{review.public_id}",
        f"supervision.report:{report.public_id}",
        f"supervision.report:{again.public_id}",
    ]
    assert _ages(response) == [15, 12, 10, 8]
    html = response.content.decode()
    for label in ("开放申请", "六个标准化考评", "监督报告（重新提交）", "村监委会主任病休"):
        assert label in html
    assert _nav_count(response) == 4


def test_the_navigation_count_equals_the_queue_length_on_every_page(official_client, village, march, clock):
    for number in (1, 2, 3):
        submitted(village, PeriodFactory(kind=Kind.MONTHLY, year=2025, number=number), local(2025, 4, number))
    queue = official_client.get(reverse("review"))
    assert len(_keys(queue)) == 3
    for url in (reverse("home"), reverse("supervision:index"), reverse("review")):
        assert _nav_count(official_client.get(url)) == 3


# ---------------------------------------------------------------- acting from the queue


def test_approve_from_the_queue_goes_back_to_the_queue_with_a_message(
    official_client, official, village, march, clock
):
    report = submitted(village, march, local(2025, 4, 1))
    act = reverse("review_act", args=[f"supervision.report:{report.public_id}", "approve"])
    response = official_client.post(act)
    assert response.status_code == 302 and response.url == reverse("review")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (Report.Status.APPROVED, official)
    page = official_client.get(response.url)
    assert "已审核通过" in page.content.decode()
    assert _keys(page) == [] and _nav_count(page) == 0


def test_return_needs_a_reason_nothing_changes_without_one(official_client, village, march, clock):
    report = submitted(village, march, local(2025, 4, 1))
    version = report.version
    act = reverse("review_act", args=[f"supervision.report:{report.public_id}", "return"])
    response = official_client.post(act, {"reason": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "退回须填写原因。" in html
    assert re.search(r"<details open>", html)  # the form stays open on the refused item
    report.refresh_from_db()
    assert (report.status, report.return_reason, report.version) == (Report.Status.SUBMITTED, "", version)

    response = official_client.post(act, {"reason": "财务部分缺少支出明细。"})
    assert response.status_code == 302 and response.url == reverse("review")
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (Report.Status.RETURNED, "财务部分缺少支出明细。")


def test_a_return_of_a_report_approved_meanwhile_says_why_and_changes_nothing(
    official_client, village, march, clock
):
    report = submitted(village, march, local(2025, 4, 1))
    act = reverse("review_act", args=[f"supervision.report:{report.public_id}", "return"])
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)  # in another tab
    response = official_client.post(act, {"reason": "补充财务明细"})
    assert response.status_code == 400
    assert "只有已提交的报告可以审核。" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (Report.Status.APPROVED, "")


def test_standards_review_confirmed_and_returned_from_the_queue(official_client, village, clock):
    one = ReviewFactory(
        branch=village.branches.get(), state=Review.State.SUBMITTED, submitted_at=local(2025, 4, 1)
    )
    other = ReviewFactory(
        branch=village.branches.get(), year=2024, state=Review.State.SUBMITTED, submitted_at=local(2025, 4, 2)
    )
    assert (
        official_client.post(
            reverse("review_act", args=[f"standards.review:{one.public_id}", "approve"])
        ).status_code
        == 302
    )
    empty = official_client.post(
        reverse("review_act", args=[f"standards.review:{other.public_id}", "return"]), {"reason": ""}
    )
    assert empty.status_code == 400
    other.refresh_from_db()
    assert other.state == Review.State.SUBMITTED
    done = official_client.post(
        reverse("review_act", args=[f"standards.review:{other.public_id}", "return"]), {"reason": "佐证不全"}
    )
    assert done.status_code == 302
    one.refresh_from_db()
    other.refresh_from_db()
    assert (one.state, other.state, other.return_reason) == ("confirmed", "returned", "佐证不全")


def test_another_countys_items_are_not_listed_and_their_actions_are_404(
    official_client, far_village, march, clock
):
    far = submitted(far_village, march, local(2025, 4, 1))
    assert _keys(official_client.get(reverse("review"))) == []
    for action, data in (("approve", {}), ("return", {"reason": "不应可见"})):
        url = reverse("review_act", args=[f"supervision.report:{far.public_id}", action])
        assert official_client.post(url, data).status_code == 404
    far.refresh_from_db()
    assert far.status == Report.Status.SUBMITTED
    for key in ("supervision.report:not-a-uuid", "nothing:123", f"supervision.report:{far.public_id}"):
        assert official_client.post(reverse("review_act", args=[key, "approve"])).status_code == 404
    assert official_client.post(reverse("review_act", args=["nothing:1", "delete"])).status_code == 404


def test_an_official_of_another_county_cannot_act(village, march, clock, client):
    report = submitted(village, march, local(2025, 4, 1))
    stranger = CountyOfficialFactory(username="far", county=CountyFactory(code="513328000000"))
    client.force_login(stranger)
    assert (
        client.post(
            reverse("review_act", args=[f"supervision.report:{report.public_id}", "approve"])
        ).status_code
        == 404
    )


# ---------------------------------------------------------------- home page


def test_the_county_home_shows_the_first_items_oldest_first_and_the_count(official_client, village, clock):
    reports = [
        submitted(village, PeriodFactory(kind=Kind.MONTHLY, year=2024, number=n), local(2025, 4, 13 - n))
        for n in range(1, 8)
    ]
    response = official_client.get(reverse("home"))
    html = response.content.decode()
    oldest_first = sorted(reports, key=lambda r: r.submitted_at)[:5]
    assert _keys(response) == [f"supervision.report:{r.public_id}" for r in oldest_first]
    assert 'id="home-queue-count">7<' in html and _nav_count(response) == 7


# ---------------------------------------------------------------- query bounds


def _fill(n, village, other_village, staff):
    for k in range(n):
        period = PeriodFactory(kind=Kind.MONTHLY, year=2010 + k // 12, number=k % 12 + 1)
        submitted(village if k % 2 else other_village, period, local(2025, 4, 1) + dt.timedelta(minutes=k))
        ExceptionRequest.objects.create(village=village, period=period, reason="补报", requested_by=staff)
        ReviewFactory(
            branch=village.branches.get(),
            year=2000 + k,
            state=Review.State.SUBMITTED,
            submitted_at=local(2025, 4, 2),
        )


# Measured at 3 rows, plus one: session, user, then one list per kind (reports, exception requests,
# reviews). The navigation's count comes from the same lists (no query of its own on these pages).
REVIEW_PAGE = 7
# Measured: 17 at 3 rows (the apps' panels with the counties' 3512 quotas and [9/10]'s mediation
# and training sections, the queue's three lists), 19 once the queue is longer than the five rows the
# home page shows (one COUNT per app); plus one.
HOME_PAGE = 20


@pytest.mark.parametrize("n", [3, 30])
def test_review_page_queries_do_not_grow(
    official_client, village, other_village, staff, n, django_assert_max_num_queries, clock
):
    _fill(n, village, other_village, staff)
    with django_assert_max_num_queries(REVIEW_PAGE):
        response = official_client.get(reverse("review"))
    assert response.status_code == 200 and len(_keys(response)) == 3 * n


@pytest.mark.parametrize("n", [3, 30])
def test_county_home_queries_do_not_grow(
    official_client, village, other_village, staff, n, django_assert_max_num_queries, clock
):
    _fill(n, village, other_village, staff)
    with django_assert_max_num_queries(HOME_PAGE):
        response = official_client.get(reverse("home"))
    assert response.status_code == 200 and _nav_count(response) == 3 * n


# ---------------------------------------------------------------- in a browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_a_county_official_clears_three_reports_from_the_queue(
    log_in, official, village, other_village, csp_violations
):
    now = timezone.now()
    reports = [
        submitted(
            village if k % 2 else other_village,
            PeriodFactory(kind=Kind.MONTHLY, year=2025, number=k + 1),
            now - dt.timedelta(days=9 - k),
        )
        for k in range(4)
    ]
    page = log_in("official")
    expect(page.locator("#home-queue-count")).to_have_text("4")
    expect(page.locator("[data-queue-count]")).to_have_text("4")
    page.get_by_role("link", name="打开审核待办（4 项）").click()
    rows = page.locator("tr[data-key]")
    expect(rows.first.locator("td[data-age]")).to_have_text("9 天")

    # 1 and 2: approve the two oldest, one click each, back on the queue with a message.
    for done in range(2):
        rows.first.get_by_role("button", name="审核通过").click()
        expect(page.get_by_text("已审核通过。")).to_be_visible()
        expect(page.locator("[data-queue-count]")).to_have_text(str(3 - done))
    # 3: return the next one; the reason is required.
    row = rows.first
    row.get_by_text("退回…").click()
    row.get_by_label("原因").fill("财务部分请补充支出明细。")
    row.get_by_role("button", name="退回", exact=True).click()
    expect(page.get_by_text("已退回。")).to_be_visible()
    expect(page.locator("[data-queue-count]")).to_have_text("1")
    expect(page.locator("tr[data-key]")).to_have_count(1)

    states = [Report.objects.get(pk=r.pk).status for r in reports]
    assert states == ["approved", "approved", "returned", "submitted"]
    assert Report.objects.get(pk=reports[2].pk).return_reason == "财务部分请补充支出明细。"
    assert csp_violations == []
