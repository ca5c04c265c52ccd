import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.models import LockException, Report
from tests.supervision.conftest import local

pytestmark = pytest.mark.django_db
LOCKS_ON = dt.date(2025, 5, 5)  # 2025年3月: due 04-05 + 30 days


def test_the_period_is_open_on_its_lock_date_and_locked_the_day_after(report, staff):
    services.report_update(
        report=report, user=staff, version=report.version, data={"summary": "a"}, today=LOCKS_ON
    )
    report.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report,
            user=staff,
            version=report.version,
            data={"summary": "b"},
            today=LOCKS_ON + dt.timedelta(days=1),
        )
    assert exc.value.code == "locked"
    report.refresh_from_db()
    assert report.summary == "a"


def test_the_lock_message_says_why_and_who_can_open_it(village, march, official):
    official.last_name = "县审核员甲"
    official.save()
    reason = services.period_lock_reason(village=village, period=march, today=LOCKS_ON + dt.timedelta(days=1))
    assert reason == services.PERIOD_LOCKED % {
        "period": "2025年3月",
        "locks_on": "2025-05-05",
        "due": "2025-04-05",
        "days": 30,
        "who": "县审核员甲",
    }


def test_a_new_report_for_a_locked_period_is_refused(village, march, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            village=village, kind="monthly", year=2025, number=3, user=staff, today=dt.date(2025, 6, 1)
        )
    assert exc.value.code == "locked"
    assert not Report.objects.exists()


def test_a_draft_cannot_be_submitted_after_the_lock(report, staff):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=staff, now=local(2025, 5, 6, 8))
    assert exc.value.code == "locked"


def test_a_county_official_opens_an_exception_and_the_village_may_report_again(
    village, march, staff, official
):
    after = dt.date(2025, 6, 1)
    services.lock_exception_open(
        village=village, kind="monthly", year=2025, number=3, user=official, reason="补报", today=after
    )
    report = services.report_create(
        village=village, kind="monthly", year=2025, number=3, user=staff, today=after
    )
    assert report.pk


def test_the_exception_is_for_one_village_only(village, march, official, staff):
    from tests.factories import VillageFactory

    neighbour = VillageFactory(township=village.township)
    after = dt.date(2025, 6, 1)
    services.lock_exception_open(
        village=village, kind="monthly", year=2025, number=3, user=official, reason="补报", today=after
    )
    with pytest.raises(ValidationError):
        services.report_create(
            village=neighbour, kind="monthly", year=2025, number=3, user=staff, today=after
        )


def test_township_staff_cannot_open_an_exception(village, march, staff):
    with pytest.raises(ValidationError) as exc:
        services.lock_exception_open(
            village=village,
            kind="monthly",
            year=2025,
            number=3,
            user=staff,
            reason="x",
            today=dt.date(2025, 6, 1),
        )
    assert exc.value.messages == [services.NOT_REVIEWER]
    assert not LockException.objects.exists()


def test_an_exception_for_an_open_period_is_refused(village, march, official):
    with pytest.raises(ValidationError) as exc:
        services.lock_exception_open(
            village=village, kind="monthly", year=2025, number=3, user=official, reason="x", today=LOCKS_ON
        )
    assert exc.value.messages == [services.EXCEPTION_NOT_NEEDED % {"period": "2025年3月"}]


def test_a_returned_report_stays_editable_after_the_lock(submitted, staff, official):
    returned = services.report_return(report=submitted, user=official, reason="补充")
    later = dt.date(2025, 7, 1)
    fixed = services.report_update(
        report=returned, user=staff, version=returned.version, data={"summary": "已补"}, today=later
    )
    assert (
        services.report_resubmit(report=fixed, user=staff, now=local(2025, 7, 1)).status
        == Report.Status.SUBMITTED
    )
