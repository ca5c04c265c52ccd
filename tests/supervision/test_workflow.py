import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.versioning import StaleRecord
from supervision import services
from supervision.models import Report
from tests.cadres.factories import PostFactory
from tests.factories import UserFactory
from tests.supervision.conftest import local

pytestmark = pytest.mark.django_db
APRIL = dt.date(2025, 4, 1)


def test_creating_a_report_fills_in_the_discipline_inspection_member_as_reporter(village, staff):
    post = PostFactory(village=village, position="discipline_inspection", start_date=dt.date(2021, 4, 1))
    report = services.report_create(
        village=village, kind="monthly", year=2025, number=3, user=staff, today=APRIL
    )
    assert report.reporter == post.person
    assert report.status == Report.Status.DRAFT
    assert report.township == village.township


def test_a_future_period_is_rejected_and_nothing_saved(village, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_create(village=village, kind="monthly", year=2025, number=5, user=staff, today=APRIL)
    assert exc.value.messages == [services.PERIOD_IN_FUTURE % {"period": "2025年5月", "start": "2025-05-01"}]
    assert not Report.objects.exists()


def test_the_current_period_may_be_started(village, staff):
    report = services.report_create(
        village=village, kind="monthly", year=2025, number=4, user=staff, today=APRIL
    )
    assert report.period.label == "2025年4月"


def test_staff_of_another_township_cannot_create_a_report(village, outsider):
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            village=village, kind="monthly", year=2025, number=3, user=outsider, today=APRIL
        )
    assert exc.value.messages == [services.NOT_EDITOR]


def test_submit_records_the_first_submission_time(report, staff):
    now = local(2025, 4, 3, 9)
    submitted = services.report_submit(report=report, user=staff, now=now)
    assert submitted.status == Report.Status.SUBMITTED
    assert submitted.first_submitted_at == now


def test_only_a_draft_can_be_submitted(submitted, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=submitted, user=staff, now=local(2025, 4, 2))
    assert exc.value.messages == [services.NOT_DRAFT]


def test_a_county_official_approves_a_submitted_report(submitted, official):
    approved = services.report_approve(report=submitted, user=official)
    assert approved.status == Report.Status.APPROVED
    assert approved.reviewed_by == official


def test_township_staff_cannot_approve_or_return(submitted, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=submitted, user=staff)
    assert exc.value.messages == [services.NOT_REVIEWER]
    with pytest.raises(ValidationError):
        services.report_return(report=submitted, user=staff, reason="x")


def test_an_official_of_another_county_cannot_review(submitted):
    from tests.factories import CountyOfficialFactory

    stranger = CountyOfficialFactory()
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=submitted, user=stranger)
    assert exc.value.messages == [services.NOT_REVIEWER]


def test_a_draft_cannot_be_approved(report, official):
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=report, user=official)
    assert exc.value.messages == [services.NOT_SUBMITTED]


def test_returning_needs_a_reason(submitted, official):
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=submitted, user=official, reason="  ")
    assert exc.value.message_dict == {"reason": [services.RETURN_REASON_REQUIRED]}
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_returned_then_fixed_then_resubmitted_keeps_the_first_submission_time(submitted, staff, official):
    first = submitted.first_submitted_at
    returned = services.report_return(report=submitted, user=official, reason="请补充财务明细")
    assert returned.status == Report.Status.RETURNED
    fixed = services.report_update(
        report=returned,
        user=staff,
        version=returned.version,
        data={"findings_finances": "已补充"},
        today=dt.date(2025, 6, 1),
    )
    resubmitted = services.report_resubmit(report=fixed, user=staff, now=local(2025, 6, 1))
    assert resubmitted.status == Report.Status.SUBMITTED
    assert resubmitted.first_submitted_at == first
    assert resubmitted.submitted_at == local(2025, 6, 1)
    assert resubmitted.findings_finances == "已补充"


def test_resubmit_is_only_for_returned_reports(report, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_resubmit(report=report, user=staff)
    assert exc.value.messages == [services.NOT_RETURNED]


@pytest.mark.parametrize("approve", [False, True])
def test_township_staff_cannot_change_a_submitted_or_approved_report(submitted, staff, official, approve):
    report = services.report_approve(report=submitted, user=official) if approve else submitted
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report, user=staff, version=report.version, data={"summary": "改"}, today=APRIL
        )
    assert exc.value.messages == [services.NOT_EDITABLE % {"status": report.get_status_display()}]
    report.refresh_from_db()
    assert report.summary == ""


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_overwritten(report, staff):
    colleague = UserFactory(township=report.village.township)
    opened_at = report.version
    services.report_update(
        report=report, user=staff, version=opened_at, data={"summary": "甲的修改"}, today=APRIL
    )
    with pytest.raises(StaleRecord) as exc:
        services.report_update(
            report=report, user=colleague, version=opened_at, data={"summary": "乙的修改"}, today=APRIL
        )
    assert "在您编辑期间" in exc.value.messages[0] and "您的修改尚未保存" in exc.value.messages[0]
    report.refresh_from_db()
    assert report.summary == "甲的修改"
