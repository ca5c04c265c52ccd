import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from supervision.models import Kind, Reminder, ReportingPeriod
from supervision.panels import home_panel
from supervision.selectors import due_reports_for
from supervision.services import reminders_send
from tests.factories import VillageFactory
from tests.supervision.conftest import local
from tests.supervision.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff, official, outsider):
    for user in (staff, official, outsider):
        user.email = f"{user.username}@example.org"
        user.save()
    return staff, official


@pytest.fixture
def done_village(township, march):
    village = VillageFactory(township=township)
    ReportFactory(
        village=village,
        period=march,
        status="submitted",
        first_submitted_at=local(2025, 4, 1),
        submitted_at=local(2025, 4, 1),
    )
    return village


def _keys(items):
    return {(i.village.code, i.period.key, i.kind) for i in items}


def test_staff_are_reminded_of_reports_due_within_three_days(people, village, done_village, march):
    staff, _ = people
    items = due_reports_for(staff, today=dt.date(2025, 4, 2))
    assert _keys(items) == {(village.code, "2025-03", "due_soon")}
    assert due_reports_for(staff, today=dt.date(2025, 4, 1)) == []  # four days before: not yet


def test_staff_are_reminded_of_overdue_reports_and_officials_only_after_ten_days(people, village, march):
    staff, official = people
    assert _keys(due_reports_for(staff, today=dt.date(2025, 4, 6))) == {(village.code, "2025-03", "overdue")}
    assert due_reports_for(official, today=dt.date(2025, 4, 15)) == []  # overdue by exactly 10 days
    assert _keys(due_reports_for(official, today=dt.date(2025, 4, 16))) == {
        (village.code, "2025-03", "escalated")
    }


def test_a_draft_or_returned_report_still_needs_a_reminder(people, village, march):
    staff, _ = people
    ReportFactory(village=village, period=march)
    items = due_reports_for(staff, today=dt.date(2025, 4, 6))
    assert len(items) == 1 and items[0].report_id is not None


def test_send_reminders_is_idempotent_per_person_report_and_day(
    people, village, march, outsider, other_village
):
    # The run creates the periods in the 60-day look-back window: January (due 02-05), February and
    # March. Staff and outsider: 3 months each for their village; the official: January and February
    # (more than 10 days overdue) for both villages.
    assert reminders_send(today=dt.date(2025, 4, 6)) == 3
    assert reminders_send(today=dt.date(2025, 4, 6)) == 0
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 3 + 3 + 4
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@example.org"])
    assert f"{village.name} 2025年3月月报：已逾期 1 天" in staff_mail.body
    assert reminders_send(today=dt.date(2025, 4, 7)) == 3  # a new day, a new reminder


def test_the_command_creates_missing_periods_and_sends(people, village):
    call_command("send_reminders", "--date", "2025-04-03")
    assert ReportingPeriod.objects.filter(kind=Kind.MONTHLY, year=2025, number=3).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["official@example.org", "staff@example.org"]
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@example.org"])
    assert "2025年3月月报：2025-04-05 截止" in staff_mail.body


def test_the_home_panel_shows_the_same_list(people, village, march, monkeypatch):
    staff, _ = people
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2025, 4, 6, 10))
    template, context = home_panel(user=staff)
    assert _keys(context["items"]) == _keys(due_reports_for(staff, today=dt.date(2025, 4, 6)))
    assert len(context["items"]) == 1


def test_admins_get_no_home_panel(admin_user):
    assert home_panel(user=admin_user) is None


def test_on_the_due_date_itself_the_report_is_due_soon_and_the_day_after_overdue(people, village, march):
    staff, _ = people
    assert _keys(due_reports_for(staff, today=dt.date(2025, 4, 5))) == {(village.code, "2025-03", "due_soon")}
    assert _keys(due_reports_for(staff, today=dt.date(2025, 4, 6))) == {(village.code, "2025-03", "overdue")}


def test_reminders_look_back_60_days_and_no_further(people, village, march):
    staff, _ = people
    # Due 2025-04-05: 2025-06-04 is 60 days later (25 + 31 + 4), the last day it is still reminded of.
    assert _keys(due_reports_for(staff, today=dt.date(2025, 6, 4))) == {(village.code, "2025-03", "overdue")}
    assert due_reports_for(staff, today=dt.date(2025, 6, 5)) == []


# ---------------------------------------------------------------- the recipient's language


def test_reminders_are_written_in_chinese_by_default(people, village):
    """The site's language is zh-hans: subject, greeting, line and closing are Chinese."""
    reminders_send(today=dt.date(2025, 4, 3))
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@example.org"])
    assert staff_mail.subject == "监督报告催报：3 份报告待提交"  # January, February, March
    assert staff_mail.body.startswith(f"{people[0].get_full_name() or people[0].username}，您好：")
    assert f"- {village.township.name} {village.name} 2025年3月月报：2025-04-05 截止" in staff_mail.body
    assert staff_mail.body.endswith("请登录基层治理档案系统处理。")


def test_reminders_are_written_in_english_when_the_site_language_is_english(settings, people, village):
    """No Han character outside the names of places and people; the language is the recipient's
    (no preferred language on the user model: the site's LANGUAGE_CODE), not whatever the process had
    active."""
    import re

    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("zh-hans"):  # the sending process's own language does not leak in
        reminders_send(today=dt.date(2025, 4, 6))
    staff_mail = next(m for m in mail.outbox if m.to == ["staff@example.org"])
    assert staff_mail.subject == "Supervision report reminder: 3 reports to submit"
    assert (
        f"- {village.township.name} {village.name} March 2025 monthly report: 1 days overdue"
        in staff_mail.body
    )
    assert staff_mail.body.endswith(
        "Please log in to the grassroots governance records system to handle this."
    )
    data = [village.township.name, village.name, people[0].get_full_name(), people[0].username]
    body = staff_mail.body
    for name in data:
        body = body.replace(name, "") if name else body
    assert not re.search(r"[\u4e00-\u9fff]", staff_mail.subject + body)
