import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supervision.models import Kind, LockException, Rectification, Report
from supervision.selectors import latest_due_month
from tests.factories import CountyOfficialFactory, VillageFactory
from tests.helpers import database_unchanged, row_starting, section
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    """The month being collected now (open: due on the 5th, locked 30 days later)."""
    year, number = latest_due_month(timezone.localdate())
    return PeriodFactory(kind=Kind.MONTHLY, year=year, number=number)


@pytest.fixture
def draft(village, month):
    return ReportFactory(village=village, period=month)


@pytest.fixture
def sent(village, month):
    now = timezone.now()
    return ReportFactory(
        village=village, period=month, status="submitted", first_submitted_at=now, submitted_at=now
    )


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


def _login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# --- list and exports ----------------------------------------------------------------------------


def test_the_list_shows_only_reports_of_the_users_township(staff_client, draft, other_village, month):
    ReportFactory(village=other_village, period=month)
    response = staff_client.get(url("index"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [draft]


def test_the_county_official_sees_every_township(official_client, draft, other_village, month):
    other = ReportFactory(village=other_village, period=month)
    assert set(official_client.get(url("index")).context["object_list"]) == {draft, other}


def test_the_list_needs_login_and_get(client, staff_client):
    assert _login_redirect(client.get(url("index")))
    assert staff_client.post(url("index")).status_code == 405


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=monthly", {"draft", "sent"}),
        ("kind=quarterly", set()),
        ("status=submitted", {"sent"}),
        ("late=true", {"draft"}),
        ("late=false", {"sent"}),
        ("period=1999-01", set()),
        ("period=bad", set()),
    ],
)
def test_the_list_filters(official_client, village, other_village, query, expected):
    # A past period: the draft is past its deadline (late); the other report came in one second before it.
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    draft = ReportFactory(village=village, period=march)
    in_time = march.deadline - dt.timedelta(seconds=1)
    sent = ReportFactory(
        village=other_village,
        period=march,
        status="submitted",
        first_submitted_at=in_time,
        submitted_at=in_time,
    )
    names = {draft.pk: "draft", sent.pk: "sent"}
    rows = official_client.get(f"{url('index')}?{query}").context["object_list"]
    assert {names[r.pk] for r in rows} == expected


def test_the_late_filter_finds_a_report_submitted_after_its_deadline(official_client, village):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    late = ReportFactory(
        village=village,
        period=period,
        status="submitted",
        first_submitted_at=period.deadline,
        submitted_at=period.deadline,
    )
    assert list(official_client.get(f"{url('index')}?late=true").context["object_list"]) == [late]


def test_the_township_and_village_filters_only_offer_the_users_jurisdiction(
    staff_client, draft, other_village
):
    response = staff_client.get(f"{url('index')}?village={other_village.code}")
    assert list(response.context["object_list"]) == []
    assert response.context["filter"].errors


def test_both_exports_hold_the_filtered_rows(official_client, draft, sent_other):
    csv_response = official_client.get(f"{url('index')}?status=draft&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == draft.village.name
    xlsx = official_client.get(f"{url('index')}?status=draft&export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    values = list(sheet.values)
    assert len(values) == 2 and values[1][1] == draft.village.name
    assert official_client.get(f"{url('index')}?export=pdf").status_code == 400


@pytest.fixture
def sent_other(other_village, month):
    now = timezone.now()
    return ReportFactory(
        village=other_village, period=month, status="submitted", first_submitted_at=now, submitted_at=now
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_keeps_its_query_count(
    official_client, township, month, count, django_assert_max_num_queries
):
    for _ in range(count):
        ReportFactory(village=VillageFactory(township=township), period=month)
    with django_assert_max_num_queries(9):
        assert official_client.get(url("index")).status_code == 200


# --- entry ---------------------------------------------------------------------------------------


def test_save_and_submit_saves_the_draft_then_asks_to_confirm(staff_client, village, month):
    response = staff_client.post(
        url("report_new"),
        {"village": village.code, "period": month.key, "findings_decisions": "已公示", "action": "submit"},
    )
    report = Report.objects.get(village=village, period=month)
    assert response.status_code == 302 and response.url == url("report_submit", report.public_id)
    assert report.status == Report.Status.DRAFT and report.findings_decisions == "已公示"
    confirm = staff_client.post(response.url)
    assert confirm.status_code == 302 and confirm.url == url("report_detail", report.public_id)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_the_entry_form_says_a_report_exists_and_links_to_it(staff_client, draft):
    response = staff_client.post(
        url("report_new"), {"village": draft.village.code, "period": draft.period.key}
    )
    assert response.status_code == 400
    assert "月报已存在" in response.content.decode()
    assert url("report_detail", draft.public_id) in response.content.decode()
    assert Report.objects.count() == 1


def test_a_future_period_is_an_error_on_the_form(staff_client, village):
    today = timezone.localdate()
    response = staff_client.post(url("report_new"), {"village": village.code, "period": str(today.year + 1)})
    assert "不能为尚未开始的期次填报" in response.content.decode()
    assert not Report.objects.exists()


def test_another_townships_village_is_not_a_choice(outsider_client, village, month):
    with database_unchanged():
        response = outsider_client.post(url("report_new"), {"village": village.code, "period": month.key})
    assert response.status_code == 400 and response.context["form"].errors["village"]


def test_a_locked_period_form_says_why_and_who_can_open_it(staff_client, village, official):
    response = staff_client.get(f"{url('report_new')}?village={village.code}&period=2025-03")
    body = response.content.decode()
    assert "2025年3月已于 2025-05-05 24 时锁定" in body and "请联系县级审核人员（official）" in body


def test_a_quarterly_form_starts_from_its_months(staff_client, village):
    ReportFactory(
        village=village,
        period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=2),
        findings_projects="二月工程",
    )
    response = staff_client.get(f"{url('report_new')}?village={village.code}&period=2025-Q1")
    assert response.context["form"].initial["findings_projects"] == "【2025年2月】二月工程"


def test_entry_is_for_township_staff_only(official_client, client, staff_client, village, month):
    assert official_client.get(url("report_new")).status_code == 403
    with database_unchanged():
        data = {"village": village.code, "period": month.key, "summary": "x", "action": "submit"}
        assert official_client.post(url("report_new"), data).status_code == 403
    assert _login_redirect(client.get(url("report_new")))
    assert staff_client.put(url("report_new")).status_code == 405


# --- detail, edit, transitions ---------------------------------------------------------------------


def test_detail_for_staff_and_official_404_for_outsider(
    staff_client, official_client, outsider_client, client, draft
):
    assert staff_client.get(url("report_detail", draft.public_id)).status_code == 200
    assert official_client.get(url("report_detail", draft.public_id)).status_code == 200
    assert outsider_client.get(url("report_detail", draft.public_id)).status_code == 404
    assert _login_redirect(client.get(url("report_detail", draft.public_id)))
    assert staff_client.post(url("report_detail", draft.public_id)).status_code == 405


@pytest.mark.parametrize("count", [3, 30])
def test_detail_keeps_its_query_count(staff_client, village, draft, count, django_assert_max_num_queries):
    earlier = ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=1))
    for _ in range(count):
        RectificationFactory(opened_in=earlier)
        RectificationFactory(opened_in=draft)
    with django_assert_max_num_queries(16):
        response = staff_client.get(url("report_detail", draft.public_id))
    assert len(response.context["carried"]) == count


def test_editing_saves_and_a_stale_version_is_refused(staff_client, draft):
    edit = url("report_edit", draft.public_id)
    assert staff_client.get(edit).status_code == 200
    assert staff_client.post(edit, {"version": draft.version, "summary": "第一次"}).status_code == 302
    response = staff_client.post(edit, {"version": draft.version, "summary": "第二次"})
    assert "在您编辑期间" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == "第一次"


def test_edit_permissions(official_client, outsider_client, client, draft):
    edit = url("report_edit", draft.public_id)
    assert official_client.get(edit).status_code == 403
    assert outsider_client.get(edit).status_code == 404
    assert _login_redirect(client.get(edit))
    data = {"version": draft.version, "summary": "不应保存"}
    with database_unchanged():
        assert official_client.post(edit, data).status_code == 403
        assert outsider_client.post(edit, data).status_code == 404
        assert _login_redirect(client.post(edit, data))


def test_a_submitted_report_edit_page_says_it_cannot_be_changed(staff_client, sent):
    response = staff_client.get(url("report_edit", sent.public_id))
    assert "报告已提交，乡镇不能再修改。" in response.content.decode()
    assert (
        staff_client.post(
            url("report_edit", sent.public_id), {"version": sent.version, "summary": "x"}
        ).status_code
        == 400
    )
    sent.refresh_from_db()
    assert sent.summary == ""


def test_submit_return_fix_resubmit_approve_through_the_views(staff_client, official_client, draft):
    assert staff_client.post(url("report_submit", draft.public_id)).status_code == 302
    official_client.post(url("report_return", draft.public_id), {"reason": "请补充财务明细"})
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == ("returned", "请补充财务明细")
    staff_client.post(
        url("report_edit", draft.public_id), {"version": draft.version, "findings_finances": "已补充"}
    )
    staff_client.post(url("report_resubmit", draft.public_id))
    official_client.post(url("report_approve", draft.public_id))
    draft.refresh_from_db()
    assert (draft.status, draft.findings_finances) == ("approved", "已补充")


def test_returning_without_a_reason_changes_nothing(official_client, sent):
    official_client.post(url("report_return", sent.public_id), {"reason": ""})
    sent.refresh_from_db()
    assert sent.status == "submitted"


def _item(report):
    return {
        "area": "projects",
        "problem": "变更未讨论",
        "responsible": "村主任",
        "found_on": report.period.start,
        "deadline": report.period.end,
    }


@pytest.mark.parametrize("name", ["report_submit", "report_resubmit", "item_add"])
def test_township_writes_403_for_officials_404_for_outsiders(
    name, official_client, outsider_client, staff_client, client, draft
):
    # With data the write would accept from the report's own township staff.
    data = _item(draft) if name == "item_add" else {}
    with database_unchanged():
        assert official_client.post(url(name, draft.public_id), data).status_code == 403
        assert outsider_client.post(url(name, draft.public_id), data).status_code == 404
        # 提交 / 重新提交 answer GET with their confirmation page; a reload of the item form's address
        # leads back to the report page.
        assert staff_client.get(url(name, draft.public_id), data).status_code == (
            302 if name == "item_add" else 200
        )
        assert official_client.get(url(name, draft.public_id)).status_code == 403
        assert _login_redirect(client.post(url(name, draft.public_id), data))


@pytest.mark.parametrize("name", ["report_approve", "report_return"])
def test_review_403_for_staff_404_for_another_county_405_for_get(
    name, staff_client, official_client, client, sent
):
    from django.test import Client

    stranger = Client()
    stranger.force_login(CountyOfficialFactory())
    with database_unchanged():
        assert staff_client.post(url(name, sent.public_id), {"reason": "x"}).status_code == 403
        assert stranger.post(url(name, sent.public_id), {"reason": "x"}).status_code == 404
        # 审核通过 answers GET with its confirmation page; 退回 is POST only (its reason is the step).
        assert official_client.get(url(name, sent.public_id), {"reason": "x"}).status_code == (
            200 if name == "report_approve" else 405
        )
        assert staff_client.get(url(name, sent.public_id)).status_code == (
            403 if name == "report_approve" else 405
        )
        assert _login_redirect(client.post(url(name, sent.public_id), {"reason": "x"}))


def test_items_are_added_and_closed_in_a_report(staff_client, village, draft):
    earlier = ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=1))
    carried = RectificationFactory(opened_in=earlier)
    staff_client.post(
        url("item_add", draft.public_id),
        {
            "area": "projects",
            "problem": "变更未讨论",
            "responsible": "村主任",
            "found_on": draft.period.start,
            "deadline": draft.period.end,
        },
    )
    assert draft.opened_items.get().problem == "变更未讨论"
    staff_client.post(url("item_close", draft.public_id, carried.public_id), {"closing_note": "已整改"})
    carried.refresh_from_db()
    assert (carried.status, carried.closed_in_id) == ("closed", draft.pk)


def test_a_deadline_before_the_finding_shows_an_error_and_saves_nothing(staff_client, draft):
    response = staff_client.post(
        url("item_add", draft.public_id),
        {
            "area": "projects",
            "problem": "x",
            "responsible": "y",
            "found_on": draft.period.end,
            "deadline": draft.period.start,
        },
        follow=True,
    )
    assert "整改期限不能早于发现日期。" in response.content.decode()
    assert not Rectification.objects.exists()


def test_item_close_permissions(official_client, outsider_client, staff_client, draft):
    item = RectificationFactory(opened_in=draft)
    close = url("item_close", draft.public_id, item.public_id)
    with database_unchanged():
        assert official_client.post(close, {"closing_note": "已整改"}).status_code == 403
        assert outsider_client.post(close, {"closing_note": "已整改"}).status_code == 404
        assert staff_client.get(close, {"closing_note": "已整改"}).status_code == 405


# --- lock exceptions -----------------------------------------------------------------------------


def test_an_official_opens_an_exception_from_the_grid(official_client, staff_client, village, township):
    PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    grid = url("grid", township.code, 2025, 3)
    assert "请联系县级审核人员" in staff_client.get(grid).content.decode()
    response = official_client.post(
        url("exception_open", village.code, "2025-03"), {"reason": "系统故障补报", "next": grid}
    )
    assert response.status_code == 302 and response.url == grid
    assert LockException.objects.get().reason == "系统故障补报"
    assert f"village={village.code}&amp;period=2025-03" in staff_client.get(grid).content.decode()


def test_exception_permissions(staff_client, outsider_client, official_client, village):
    PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)  # long locked: an exception is possible
    target = url("exception_open", village.code, "2025-03")
    with database_unchanged():
        assert staff_client.post(target, {"reason": "x"}).status_code == 403
        assert official_client.get(target, {"reason": "x"}).status_code == 405
        assert (
            official_client.post(url("exception_open", village.code, "nonsense"), {"reason": "x"}).status_code
            == 404
        )


# --- grid, matrix, county table ------------------------------------------------------------------


def test_the_grid_lists_every_village_with_its_status(staff_client, township, village, month, draft):
    missing = VillageFactory(township=township)
    response = staff_client.get(url("grid", township.code, month.year, month.number))
    statuses = {row.village.pk: row.status for row in response.context["rows"]}
    assert statuses == {village.pk: "draft", missing.pk: "missing"}
    body = response.content.decode()
    assert f"village={missing.code}&amp;period={month.key}" in body
    assert url("report_detail", draft.public_id) in body


def test_the_grid_is_scoped(outsider_client, client, staff_client, township):
    assert outsider_client.get(url("grid", township.code, 2025, 3)).status_code == 404
    assert _login_redirect(client.get(url("grid", township.code, 2025, 3)))
    assert staff_client.post(url("grid", township.code, 2025, 3)).status_code == 405
    assert staff_client.get(url("grid", township.code, 2025, 13)).status_code == 404


def test_the_grid_default_opens_the_users_township(staff_client, township):
    year, month = latest_due_month(timezone.localdate())
    assert staff_client.get(url("grid_default")).url == url("grid", township.code, year, month)


def _fill(township, month, villages):
    for i in range(villages):
        v = VillageFactory(township=township)
        if i % 2:
            ReportFactory(village=v, period=month)


@pytest.mark.parametrize("villages", [20, 300])
def test_the_grid_keeps_its_query_count(
    staff_client, township, month, villages, django_assert_max_num_queries
):
    _fill(township, month, villages)
    with django_assert_max_num_queries(8):
        response = staff_client.get(url("grid", township.code, month.year, month.number))
    assert len(response.context["rows"]) == villages


@pytest.mark.parametrize("villages", [20, 300])
def test_the_county_table_page_keeps_its_query_count(
    official_client, township, month, villages, django_assert_max_num_queries
):
    _fill(township, month, villages)
    with django_assert_max_num_queries(6):
        response = official_client.get(f"{url('completeness')}?period={month.key}")
    assert response.context["total"]["expected"] == villages


@pytest.mark.parametrize("villages", [20, 300])
def test_the_health_matrix_keeps_its_query_count(
    staff_client, township, month, villages, django_assert_max_num_queries
):
    _fill(township, month, villages)
    with django_assert_max_num_queries(8):
        response = staff_client.get(url("health", township.code))
    assert len(response.context["rows"]) == villages
    assert len(response.context["periods"]) == 12


def test_the_county_table_rejects_a_bad_period(official_client):
    assert official_client.get(f"{url('completeness')}?period=2026-13").status_code == 400


def test_health_and_table_scoping(outsider_client, client, township):
    assert outsider_client.get(url("health", township.code)).status_code == 404
    assert _login_redirect(client.get(url("completeness")))
    assert outsider_client.post(url("completeness")).status_code == 405


# --- panels ----------------------------------------------------------------------------------------


def test_the_village_page_shows_recent_reports_and_open_items(staff_client, village, draft):
    RectificationFactory(opened_in=draft, problem="公开栏未更新")
    body = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    assert "村务监督报告" in body and "公开栏未更新" in body


@pytest.fixture
def april_20(monkeypatch):
    """Fifteen days after 2025年3月's due date (2025-04-05): March is the month being collected."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2025, 4, 20, 10))


def test_the_dashboard_shows_completeness(official_client, township, other_township, march, april_20):
    # 姑咱镇: 4 villages, one on time, one late, one draft, one missing; 新都桥镇: 2, one on time.
    # Hand-computed: 姑咱镇 2/4 = 50.0% complete, 1/4 = 25.0% on time; 新都桥镇 1/2 = 50.0% and 50.0%;
    # county 3/6 = 50.0% complete, 2/6 = 33.3% on time.
    for at in (local(2025, 4, 3), local(2025, 4, 8)):
        ReportFactory(
            village=VillageFactory(township=township),
            period=march,
            status="submitted",
            first_submitted_at=at,
            submitted_at=at,
        )
    ReportFactory(village=VillageFactory(township=township), period=march)
    VillageFactory(township=township)
    ReportFactory(
        village=VillageFactory(township=other_township),
        period=march,
        status="approved",
        first_submitted_at=local(2025, 4, 5, 23, 59, 59),
        submitted_at=local(2025, 4, 5, 23, 59, 59),
    )
    VillageFactory(township=other_township)
    panel = section(official_client.get(reverse("dashboard")).content.decode(), "监督报告完整率与及时率")
    assert "2025年3月月报" in panel
    # township, expected, submitted, missing, completeness, timeliness ([8/10]: worst first)
    rule = "completeness = submitted / expected, timeliness = on time / expected (DESIGN §5)"
    assert row_starting(panel, "姑咱镇") == ["姑咱镇", "4", "2", "2", "50.0%", "25.0%"], rule
    assert row_starting(panel, "新都桥镇") == ["新都桥镇", "2", "1", "1", "50.0%", "50.0%"], rule
    assert row_starting(panel, "合计") == ["合计", "6", "3", "3", "50.0%", "33.3%"], rule


def test_the_home_page_lists_due_reports(staff_client, village, township, march, april_20):
    missing = VillageFactory(township=township, name="姑咱示例02村")
    done = VillageFactory(township=township, name="姑咱示例03村")
    draft = ReportFactory(village=village, period=march)
    ReportFactory(
        village=done,
        period=march,
        status="submitted",
        first_submitted_at=local(2025, 4, 2),
        submitted_at=local(2025, 4, 2),
    )
    panel = section(staff_client.get(reverse("home")).content.decode(), "待提交的监督报告")
    assert "2025年3月月报" in panel and "截止 2025-04-05" in panel
    assert "逾期 15 天" in panel, "2025-04-20 is 15 days after the due date 2025-04-05"
    assert "2 个村（社区）" in panel, "the draft and the missing village are due; the submitted one is not"
    assert f'href="{url("report_detail", draft.public_id)}"' in panel
    assert f"{url('report_new')}?village={missing.code}&amp;period=2025-03" in panel
    assert done.name not in panel
