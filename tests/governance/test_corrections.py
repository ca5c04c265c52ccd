"""Corrections (更正, governance/corrections.py): every concrete ``Correction`` in the project keeps the
convention (a reason the database insists on, history, a read-only admin), and an approved
supervision report is corrected by its township with a reason, seen by the county (issue [6/10]:
"every irreversible action ... can be corrected with a reason afterwards")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from playwright.sync_api import expect

from governance.corrections import TEXT_KEY, Correction
from supervision import services
from supervision.models import (
    Kind,
    Rectification,
    RectificationCorrection,
    Report,
    ReportCorrection,
    local_day_end,
)
from tests.helpers import database_unchanged, migrate_test_database
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db

CORRECTIONS = sorted(
    (m for m in apps.get_models() if issubclass(m, Correction) and not m._meta.abstract),
    key=lambda m: m._meta.label,
)
# Never a vacuous pass: the subclasses this convention was written for must be among those found.
KNOWN = {"supervision.RectificationCorrection", "supervision.ReportCorrection", "decisions.StepCorrection"}


def test_the_known_corrections_are_discovered():
    assert {m._meta.label for m in CORRECTIONS} >= KNOWN


def _row(model, reason):
    """An unsaved row pointing at ids that do not exist: PostgreSQL checks the (deferred) foreign
    keys only at commit (the callers roll their savepoint back first), the reason's CHECK at once."""
    values = {"reason": reason, "changes": {"x": ["1", "2"]}}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            values[field.attname] = 2_000_000_000
    return model(**values)


@pytest.mark.parametrize("model", CORRECTIONS, ids=lambda m: m._meta.label)
def test_the_database_refuses_an_empty_reason(model):
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(model, "").save()
    with transaction.atomic():  # the same row with a reason is accepted (the constraint is the reason)
        _row(model, "录入错误").save()
        transaction.set_rollback(True)


@pytest.mark.parametrize("model", CORRECTIONS, ids=lambda m: m._meta.label)
def test_a_correction_keeps_history(model):
    history = model.history.model
    assert history._meta.db_table != model._meta.db_table
    with transaction.atomic():
        row = _row(model, "录入错误")
        row.save()
        assert model.history.filter(**{model._meta.pk.attname: row.pk}).count() == 1
        transaction.set_rollback(True)


@pytest.mark.parametrize("model", CORRECTIONS, ids=lambda m: m._meta.label)
def test_a_correction_is_read_only_in_the_admin(model, admin_client_, admin_user, rf):
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{model._meta.label} is not registered in the admin"
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert {"corrected_at", "corrected_by", "reason"} <= set(model_admin.get_list_display(request))
    opts = model._meta
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client_.get(add).status_code == 403
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_.get(changelist).status_code == 200


def test_a_correction_recorded_as_text_is_shown_as_one_line(staff, report):
    """RectificationCorrection ``changes`` were text before the convention; the migration keeps the
    text as ``{"_text": [text, ""]}``, shown as written."""
    item = Rectification.objects.create(
        village=report.village,
        opened_in=report,
        area="finances",
        problem="单据缺签字",
        responsible="村报账员",
        found_on=report.period.start,
        deadline=report.period.start,
    )
    old = RectificationCorrection.objects.create(
        item=item, reason="旧更正", changes={TEXT_KEY: ["责任人：村主任 → 村会计", ""]}, corrected_by=staff
    )
    assert [line["text"] for line in old.lines()] == ["责任人：村主任 → 村会计"]
    new = RectificationCorrection.objects.create(
        item=item, reason="新更正", changes={"area": ["finances", "projects"]}, corrected_by=staff
    )
    assert new.lines() == [{"label": "监督事项", "before": "村级财务与资产", "after": "工程项目", "text": ""}]


# --- corrections of an approved report --------------------------------------------------------------


@pytest.fixture
def report(village):
    """A March 2025 monthly draft with one finding (tests/supervision/conftest.py's)."""
    return ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3))


@pytest.fixture
def submitted(report, staff):
    return services.report_submit(report=report, user=staff, now=local(2025, 4, 1))


@pytest.fixture
def approved(report, staff, official):
    report.summary = "本月无重大问题。"
    report.save()
    services.report_submit(report=report, user=staff, now=local(2025, 4, 1))
    return services.report_approve(report=report, user=official)


def _url(report):
    return reverse("supervision:report_correct", args=[report.public_id])


def _data(report, **overrides):
    data = {name: getattr(report, name) for name in services.REPORT_CORRECTABLE_FIELDS}
    data.update(version=report.version, reason="总体情况漏写了一项")
    data.update(overrides)
    return data


def test_the_county_sees_a_correction_of_an_approved_report(staff_client, official_client, staff, approved):
    staff.first_name = "李文"
    staff.save()
    detail = reverse("supervision:report_detail", args=[approved.public_id])
    assert "审核通过后的更正" not in official_client.get(detail).content.decode()
    assert "更正报告内容" in staff_client.get(detail).content.decode()
    version = approved.version
    response = staff_client.post(_url(approved), _data(approved, summary="本月发现一处公示不全。"))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.summary, approved.version) == (
        Report.Status.APPROVED,
        "本月发现一处公示不全。",
        version + 1,
    )
    correction = ReportCorrection.objects.get()
    assert (correction.report, correction.corrected_by, correction.reason, correction.after_approval) == (
        approved,
        staff,
        "总体情况漏写了一项",
        True,
    )
    assert correction.changes == {"summary": ["本月无重大问题。", "本月发现一处公示不全。"]}
    assert approved.history.first().history_change_reason == "总体情况漏写了一项"
    body = official_client.get(detail).content.decode()
    assert "审核通过后的更正" in body and "李文" in body and "总体情况漏写了一项" in body
    assert "总体情况：本月无重大问题。 → 本月发现一处公示不全。" in body
    # The township sees it on the report too.
    assert "总体情况漏写了一项" in staff_client.get(detail).content.decode()


def test_the_admin_shows_a_correction_and_its_history_read_only(admin_client_, staff, approved):
    correction = services.report_correct(report=approved, user=staff, reason="漏写", summary="补写")
    for page in ("change", "history"):
        address = reverse(f"admin:supervision_reportcorrection_{page}", args=[correction.pk])
        assert admin_client_.get(address).status_code == 200
    body = admin_client_.get(reverse("admin:supervision_reportcorrection_change", args=[correction.pk]))
    assert 'name="_save"' not in body.content.decode()  # nothing to save: read-only
    with database_unchanged():
        delete = reverse("admin:supervision_reportcorrection_delete", args=[correction.pk])
        assert admin_client_.post(delete, {"post": "yes"}).status_code == 403


def test_a_user_of_another_township_gets_404(outsider_client, approved):
    with database_unchanged():
        assert outsider_client.get(_url(approved)).status_code == 404
        assert outsider_client.post(_url(approved), _data(approved, summary="x")).status_code == 404


def test_a_county_official_does_not_correct(official_client, approved):
    with database_unchanged():
        assert official_client.post(_url(approved), _data(approved, summary="x")).status_code == 403


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_saves_nothing_and_keeps_the_values(staff_client, approved, reason):
    with database_unchanged():
        response = staff_client.post(_url(approved), _data(approved, summary="改后的总体情况", reason=reason))
    assert response.status_code == 400
    body = response.content.decode()
    assert "这个字段是必填项。" in body and "改后的总体情况" in body


def test_the_service_refuses_an_empty_reason(staff, approved):
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        services.report_correct(report=approved, user=staff, reason="  ", summary="改")
    assert exc.value.message_dict == {"reason": ["更正须填写原因。"]}


def test_the_reason_is_at_most_500_characters(staff_client, approved):
    with database_unchanged():
        response = staff_client.post(_url(approved), _data(approved, summary="改", reason="原" * 501))
    assert response.status_code == 400
    assert (
        staff_client.post(_url(approved), _data(approved, summary="改", reason="原" * 500)).status_code == 302
    )
    assert len(ReportCorrection.objects.get().reason) == 500


def test_nothing_changed_is_not_a_correction(staff_client, approved):
    with database_unchanged():
        response = staff_client.post(_url(approved), _data(approved))
    assert response.status_code == 400
    assert "没有修改任何内容，无需更正。" in response.content.decode()


def test_a_correction_cannot_empty_the_report(staff_client, approved):
    emptied = {name: "" for name in services.REPORT_CORRECTABLE_FIELDS}
    with database_unchanged():
        response = staff_client.post(_url(approved), _data(approved, **emptied))
    assert response.status_code == 400
    assert "更正后报告内容不能全部为空。" in response.content.decode()


def test_a_report_not_yet_approved_is_edited_not_corrected(staff_client, staff, report, submitted):
    draft_page = staff_client.get(_url(report))
    assert draft_page.status_code == 200
    assert "只有审核通过的报告需要更正；未通过审核的报告请直接修改。" in draft_page.content.decode()
    assert 'name="reason"' not in draft_page.content.decode()
    report.refresh_from_db()
    with database_unchanged():
        response = staff_client.post(_url(report), _data(report, summary="改"))
    assert response.status_code == 400
    with pytest.raises(ValidationError) as exc:
        services.report_correct(report=report, user=staff, reason="录错", summary="改")
    assert exc.value.code == "not_approved"


def test_a_correction_over_someone_elses_change_is_stale(staff_client, staff, approved):
    stale = _data(approved, summary="第一人的更正")
    services.report_correct(report=approved, user=staff, reason="先改的", summary="第二人的更正")
    response = staff_client.post(_url(approved), stale)
    assert response.status_code == 400
    assert "第一人的更正" in response.content.decode()  # what was typed comes back
    assert ReportCorrection.objects.count() == 1


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_browser_the_township_corrects_an_approved_report_and_the_county_sees_it(
    log_in, staff, official, report
):
    staff.first_name = "李文"
    staff.save()
    report.summary = "本月无重大问题。"
    report.save()
    services.report_submit(report=report, user=staff, now=local(2025, 4, 1))
    services.report_approve(report=report, user=official)
    page = log_in("staff", viewport={"width": 375, "height": 740})
    page.goto(f"/supervision/r/{report.public_id}/")
    page.get_by_role("link", name="更正报告内容…").click()
    page.get_by_label("总体情况").fill("本月发现一处公示不全。")
    page.get_by_label("更正原因").fill("总体情况漏写了一项")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("报告已更正，更正原因已记录。")).to_be_visible()
    page.get_by_role("button", name="退出").click()
    page = log_in("official")
    page.goto(f"/supervision/r/{report.public_id}/")
    section = page.locator("section.corrections", has=page.get_by_role("heading", name="审核通过后的更正"))
    expect(section).to_contain_text("更正")
    expect(section).to_contain_text("李文")
    expect(section).to_contain_text("总体情况漏写了一项")
    expect(section).to_contain_text("本月无重大问题。 → 本月发现一处公示不全。")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_text_corrections_as_one_line(staff, village):
    """supervision 0003: a RectificationCorrection recorded with text ``changes`` comes through as
    ``{"_text": [text, ""]}`` (and back again), so no correction is lost."""

    before = [("supervision", "0002_early_reason_corrections")]
    executor = migrate_test_database(before)
    try:
        old = executor.loader.project_state(before).apps
        # The period through the old state's model too: today's has columns added later (0005).
        period = old.get_model("supervision", "ReportingPeriod").objects.create(
            kind=Kind.MONTHLY,
            year=2025,
            number=3,
            start=dt.date(2025, 3, 1),
            end=dt.date(2025, 3, 31),
            due_date=dt.date(2025, 4, 5),
            deadline=local_day_end(dt.date(2025, 4, 5)),
            locks_on=dt.date(2025, 5, 5),
        )
        report = old.get_model("supervision", "Report").objects.create(
            village_id=village.pk, township_id=village.township_id, period_id=period.pk
        )
        item = old.get_model("supervision", "Rectification").objects.create(
            village_id=village.pk,
            opened_in=report,
            area="finances",
            problem="单据缺签字",
            responsible="村会计",
            found_on=period.start,
            deadline=period.start,
        )
        old.get_model("supervision", "RectificationCorrection").objects.create(
            item=item, reason="责任人填错", changes="整改责任人：村报账员 → 村会计", corrected_by_id=staff.pk
        )
    finally:
        migrate_test_database()  # everything back, whatever depended on it
    correction = RectificationCorrection.objects.get()
    assert correction.changes == {TEXT_KEY: ["整改责任人：村报账员 → 村会计", ""]}
    assert [line["text"] for line in correction.lines()] == ["整改责任人：村报账员 → 村会计"]
