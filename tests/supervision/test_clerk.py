"""Issue [6/10] for supervision: the rules of supervision/rules.py (one below and one above each
boundary), forms that re-render in place, the confirmation step of 提交, corrections (更正) of
recorded items, returned reports on the home page and the county's review panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision import rules, services
from supervision.models import Kind, Rectification, RectificationCorrection, Report
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory

pytestmark = pytest.mark.django_db

# 2025年3月 (the ``march`` fixture): 2025-03-01..2025-03-31; items added on 2025-04-02 (not locked).
TODAY = dt.date(2025, 4, 2)


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


def _add(report, staff, **kwargs):
    data = {
        "area": "finances",
        "problem": "支出缺签字",
        "responsible": "报账员",
        "found_on": dt.date(2025, 3, 10),
        "deadline": dt.date(2025, 4, 10),
        "today": TODAY,
    }
    data.update(kwargs)
    return services.rectification_add(report=report, user=staff, **data)


# --- the date rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("found_on", "ok"), [(dt.date(2025, 2, 28), False), (dt.date(2025, 3, 1), True)])
def test_an_item_is_not_found_before_its_period_started(report, staff, found_on, ok):
    if ok:
        assert _add(report, staff, found_on=found_on).found_on == found_on
    else:
        with pytest.raises(ValidationError) as exc:
            _add(report, staff, found_on=found_on)
        assert exc.value.message_dict == {"found_on": ["发现日期不能早于本期开始日期（2025-03-01）。"]}


def test_the_1900_finding_of_the_issue_is_refused(report, staff):
    with pytest.raises(ValidationError) as exc:
        _add(report, staff, found_on=dt.date(1900, 1, 1))
    assert "found_on" in exc.value.message_dict
    assert not Rectification.objects.exists()


@pytest.mark.parametrize(("found_on", "ok"), [(dt.date(2025, 3, 14), False), (dt.date(2025, 3, 15), True)])
def test_an_item_is_not_found_before_its_village_existed(report, staff, found_on, ok):
    report.village.valid_from = dt.date(2025, 3, 15)  # a village set up mid-month
    report.village.save()
    if ok:
        assert _add(report, staff, found_on=found_on).pk
    else:
        with pytest.raises(ValidationError) as exc:
            _add(report, staff, found_on=found_on)
        assert exc.value.message_dict == {"found_on": ["发现日期不能早于本村设立日期（2025-03-15）。"]}


@pytest.mark.parametrize(
    ("deadline", "ok"),
    [
        (dt.date(2025, 3, 9), False),  # the day before it was found
        (dt.date(2025, 3, 10), True),  # the same day
        (dt.date(2030, 3, 10), True),  # five years later
        (dt.date(2030, 3, 11), False),  # one day more
    ],
)
def test_the_deadline_is_between_the_finding_and_five_years_after(report, staff, deadline, ok):
    if ok:
        assert _add(report, staff, deadline=deadline).deadline == deadline
    else:
        with pytest.raises(ValidationError) as exc:
            _add(report, staff, deadline=deadline)
        assert list(exc.value.message_dict) == ["deadline"]


def test_a_29_february_finding_has_a_deadline_bound_on_28_february():
    assert rules.deadline_latest(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)


# --- submitting: not empty, not early without a reason --------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n "])
def test_an_empty_report_is_not_submitted(village, march, staff, text):
    empty = ReportFactory(village=village, period=march, findings_decisions=text)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=empty, user=staff, now=local(2025, 4, 1))
    assert exc.value.messages == [rules.EMPTY_REPORT]
    empty.refresh_from_db()
    assert empty.status == Report.Status.DRAFT


def test_a_summary_alone_is_enough_to_submit(village, march, staff):
    report = ReportFactory(village=village, period=march, findings_decisions="", summary="本月无异常。")
    assert services.report_submit(report=report, user=staff, now=local(2025, 4, 1)).status == "submitted"


def test_a_report_is_not_submitted_in_its_last_second_without_a_reason(report, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=staff, now=local(2025, 3, 31, 23, 59, 59))
    assert exc.value.message_dict == {
        "early_reason": ["2025年3月到 2025-03-31 才结束，现在提交须填写提前提交的原因。"]
    }


def test_a_report_marked_early_with_a_reason_is_submitted_and_keeps_the_reason(report, staff):
    sent = services.report_submit(
        report=report, user=staff, now=local(2025, 3, 25), early_reason="村委会换届前提前报送"
    )
    assert (sent.status, sent.early_reason) == ("submitted", "村委会换届前提前报送")


def test_a_report_needs_no_reason_from_the_first_instant_after_its_period(report, staff):
    sent = services.report_submit(report=report, user=staff, now=local(2025, 4, 1, 0, 0, 0))
    assert (sent.status, sent.early_reason) == ("submitted", "")


def test_save_and_submit_refuses_an_empty_report_in_place(staff_client, village):
    # The previous month has ended, so only emptiness can stop it.
    from django.utils import timezone

    from supervision.selectors import latest_due_month

    year, month = latest_due_month(timezone.localdate())
    data = {"village": village.code, "period": f"{year}-{month:02d}", "summary": " ", "action": "submit"}
    response = staff_client.post(url("report_new"), data)
    assert response.status_code == 400
    assert rules.EMPTY_REPORT in response.content.decode()
    assert not Report.objects.exists()


# --- the confirmation step --------------------------------------------------------------------------


def test_submitting_asks_first_and_says_what_will_happen(staff_client, village):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    draft = ReportFactory(village=village, period=period)
    page = staff_client.get(url("report_submit", draft.public_id))
    body = page.content.decode()
    assert page.status_code == 200
    assert "报告送康定市县级审核人员审核。" in body
    assert "提交后乡镇不能再修改报告内容，除非县级审核人员退回。" in body
    assert 'name="early_reason"' not in body  # the month has ended
    draft.refresh_from_db()
    assert draft.status == "draft"  # looking submits nothing
    assert staff_client.post(url("report_submit", draft.public_id)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_an_early_submission_asks_for_the_reason_on_the_confirmation_page(staff_client, village):
    from django.utils import timezone

    today = timezone.localdate()
    period = PeriodFactory(kind=Kind.MONTHLY, year=today.year, number=today.month)
    draft = ReportFactory(village=village, period=period)
    assert 'name="early_reason"' in staff_client.get(url("report_submit", draft.public_id)).content.decode()
    response = staff_client.post(url("report_submit", draft.public_id), {"early_reason": ""})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft"
    staff_client.post(url("report_submit", draft.public_id), {"early_reason": "换届前提前报送"})
    draft.refresh_from_db()
    assert (draft.status, draft.early_reason) == ("submitted", "换届前提前报送")
    assert "换届前提前报送" in staff_client.get(url("report_detail", draft.public_id)).content.decode()


def test_the_confirmation_of_an_empty_report_offers_no_submit_button(staff_client, village):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    empty = ReportFactory(village=village, period=period, findings_decisions="")
    body = staff_client.get(url("report_submit", empty.public_id)).content.decode()
    assert rules.EMPTY_REPORT in body and "确认提交" not in body.split("</h1>", 1)[1]


# --- the rectification form re-renders in place ----------------------------------------------------


def test_a_refused_item_comes_back_in_place_with_its_values_and_the_error_at_its_field(staff_client, village):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    draft = ReportFactory(village=village, period=period)
    data = {
        "area": "projects",
        "problem": "变更未经村民代表会议讨论",
        "responsible": "村主任",
        "found_on": "1900-01-01",
        "deadline": "2025-04-30",
    }
    response = staff_client.post(url("item_add", draft.public_id), data)
    assert response.status_code == 400  # no redirect
    body = response.content.decode()
    assert "变更未经村民代表会议讨论" in body and 'value="村主任"' in body and 'value="2025-04-30"' in body
    field = body.split('id="id_found_on"', 1)[1].split("</div>", 1)[0]
    assert "发现日期不能早于本期开始日期（2025-03-01）。" in field
    assert not Rectification.objects.exists()


def test_the_item_form_shows_the_date_rules(staff_client, village):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    draft = ReportFactory(village=village, period=period)
    body = staff_client.get(url("report_detail", draft.public_id)).content.decode()
    assert "不早于 2025-03-01，不晚于今天。" in body


# --- corrections (更正) ------------------------------------------------------------------------------


def _correct(client, item, report, **overrides):
    data = {
        "area": item.area,
        "problem": item.problem,
        "responsible": item.responsible,
        "found_on": item.found_on.isoformat(),
        "deadline": item.deadline.isoformat(),
        "reason": "责任人填错",
    }
    data.update(overrides)
    return client.post(url("item_correct", report.public_id, item.public_id), data)


def test_the_township_corrects_an_item_with_a_reason_shown_on_the_report(staff_client, staff, report):
    item = RectificationFactory(opened_in=report)
    response = _correct(staff_client, item, report, responsible="村会计")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.responsible == "村会计"
    correction = RectificationCorrection.objects.get()
    assert (correction.reason, correction.corrected_by, correction.after_approval) == (
        "责任人填错",
        staff,
        False,
    )
    assert correction.changes == {"responsible": ["村报账员", "村会计"]}
    assert item.history.first().history_change_reason == "责任人填错"
    body = staff_client.get(url("report_detail", report.public_id)).content.decode()
    assert "更正" in body and "责任人填错" in body and "整改责任人：村报账员 → 村会计" in body


def test_a_correction_needs_a_reason_and_a_change(staff_client, report):
    item = RectificationFactory(opened_in=report)
    assert _correct(staff_client, item, report, responsible="村会计", reason="").status_code == 400
    assert _correct(staff_client, item, report).status_code == 400  # nothing changed
    item.refresh_from_db()
    assert item.responsible == "村报账员" and not RectificationCorrection.objects.exists()


def test_a_corrected_date_is_held_to_the_rules(staff_client, report):
    item = RectificationFactory(opened_in=report)
    response = _correct(staff_client, item, report, found_on="2025-02-28")
    assert response.status_code == 400
    assert "发现日期不能早于本期开始日期（2025-03-01）。" in response.content.decode()


def test_only_the_township_corrects(official_client, outsider_client, report):
    item = RectificationFactory(opened_in=report)
    assert _correct(official_client, item, report, responsible="x").status_code == 403
    assert _correct(outsider_client, item, report, responsible="x").status_code == 404
    assert not RectificationCorrection.objects.exists()


def test_the_county_sees_corrections_made_after_approval(
    staff_client, official_client, staff, official, report
):
    item = RectificationFactory(opened_in=report)
    services.report_submit(report=report, user=staff, now=local(2025, 4, 1))
    services.report_approve(report=report, user=official)
    assert (
        "审核通过后的更正" not in official_client.get(url("report_detail", report.public_id)).content.decode()
    )
    assert _correct(staff_client, item, report, deadline="2025-05-31", reason="期限录错").status_code == 302
    assert RectificationCorrection.objects.get().after_approval
    body = official_client.get(url("report_detail", report.public_id)).content.decode()
    assert "审核通过后的更正" in body and "期限录错" in body and "整改期限：2025-03-01 → 2025-05-31" in body


# --- the home page tells a returned report from a draft -------------------------------------------


def test_the_home_page_shows_a_returned_report_with_its_reason_and_a_draft_as_a_draft(
    staff_client, staff, official, village, township
):
    from tests.factories import VillageFactory

    returned = ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3))
    services.report_submit(report=returned, user=staff, now=local(2025, 4, 1))
    services.report_return(report=returned, user=official, reason="财务部分请补充支出明细")
    body = staff_client.get(reverse("home")).content.decode()
    panel = body.split("被县级退回、待修改后重新提交的报告", 1)[1]
    assert "已退回" in panel and "财务部分请补充支出明细" in panel
    assert url("report_detail", returned.public_id) in panel
    from django.utils import timezone

    from supervision.selectors import latest_due_month

    year, month = latest_due_month(timezone.localdate())
    second = VillageFactory(township=township)
    draft = ReportFactory(village=second, period=PeriodFactory(kind=Kind.MONTHLY, year=year, number=month))
    body = staff_client.get(reverse("home")).content.decode()
    line = body.split(url("report_detail", draft.public_id), 1)[1].split("</li>", 1)[0]
    assert "草稿" in line and "已退回" not in line


# --- the county review panel ------------------------------------------------------------------------


def test_the_review_panel_follows_the_content_and_the_reason_belongs_to_return_only(
    official_client, submitted
):
    body = official_client.get(url("report_detail", submitted.public_id)).content.decode()
    assert body.index("监督情况") < body.index("整改事项") < body.index('id="review-heading"')
    approve = body.split('id="approve-heading"', 1)[1].split('id="return-heading"', 1)[0]
    refuse = body.split('id="return-heading"', 1)[1].split("</form>", 1)[0]
    assert 'name="reason"' not in approve and 'name="reason"' in refuse


def test_approving_asks_first(official_client, submitted):
    body = official_client.get(url("report_approve", submitted.public_id)).content.decode()
    assert "报告定稿，乡镇不能再修改报告内容，也不能再退回。" in body
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert official_client.post(url("report_approve", submitted.public_id)).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "approved"
