"""Overdue rules, computed in SQL: a resolution not disclosed within the notice period after the vote,
a result not disclosed after the planned completion date."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.models import DecisionPolicy, Matter, StepKind
from decisions.selectors import matter_counts, matters_visible_to, with_overdue

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def overdue_kind(matter, today=TODAY):
    return with_overdue(Matter.objects.filter(pk=matter.pk), today=today).get().overdue_kind


@pytest.mark.parametrize(("days_since_vote", "late"), [(7, False), (8, True), (6, False)])
def test_a_resolution_is_overdue_once_the_notice_period_after_the_vote_has_passed(
    resolved, days_since_vote, late
):
    today = resolved.resolved_on + dt.timedelta(days=days_since_vote)
    assert (overdue_kind(resolved, today) == "resolution") is late


def test_the_resolution_period_follows_the_policy_in_force_when_the_vote_was_recorded(matter_at, village):
    DecisionPolicy.objects.create(county=village.township.county, effective_from=TODAY, notice_period_days=15)
    resolved = matter_at(StepKind.RESOLVE)
    assert overdue_kind(resolved, resolved.resolved_on + dt.timedelta(days=15)) == ""
    assert overdue_kind(resolved, resolved.resolved_on + dt.timedelta(days=16)) == "resolution"


def test_a_later_policy_change_leaves_a_recorded_resolution_period(resolved, village):
    # Recorded under the default 7 days; the county then lengthens it to 15 from today.
    DecisionPolicy.objects.create(county=village.township.county, effective_from=TODAY, notice_period_days=15)
    assert overdue_kind(resolved, resolved.resolved_on + dt.timedelta(days=7)) == ""
    assert overdue_kind(resolved, resolved.resolved_on + dt.timedelta(days=8)) == "resolution"


def test_a_disclosed_resolution_is_not_overdue(matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION, planned_completion=TODAY + dt.timedelta(days=30))
    assert overdue_kind(matter) == ""


@pytest.mark.parametrize(("days_after_plan", "late"), [(0, False), (1, True), (-1, False)])
def test_a_result_is_overdue_after_the_planned_completion_date(matter_at, days_after_plan, late):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION)
    today = matter.planned_completion + dt.timedelta(days=days_after_plan)
    assert (overdue_kind(matter, today) == "result") is late


def test_a_disclosed_result_and_a_rejected_matter_are_never_overdue(matter_at, staff, village):
    done = matter_at(StepKind.DISCLOSE_RESULT)
    rejected = matter_at(StepKind.CONSULT)
    rejected.state = Matter.State.REJECTED
    rejected.save()
    far = dt.date(2030, 1, 1)
    assert overdue_kind(done, far) == "" and overdue_kind(rejected, far) == ""


def test_the_list_filter_and_the_counts_agree_on_overdue(matter_at, staff):
    late_resolution = matter_at(StepKind.RESOLVE)  # voted in 2025: long past 7 days
    late_result = matter_at(StepKind.DISCLOSE_RESOLUTION)  # planned completion 2025-10-31
    on_time = matter_at(StepKind.DISCLOSE_RESOLUTION, planned_completion=TODAY + dt.timedelta(days=1))
    matters = matters_visible_to(staff)
    assert set(matters.filter(overdue_kind="resolution")) == {late_resolution}
    assert set(matters.filter(overdue_kind="result")) == {late_result}
    assert on_time not in matters.filter(is_overdue=True)
    counts = matter_counts(matters)
    assert (counts["overdue_resolution"], counts["overdue_result"]) == (1, 1)
    assert counts["overdue"] == 2
    assert counts["in_progress"] == 0


def test_the_village_page_counts_both_kinds_of_overdue_matter(matter_at, staff_client, village):
    from django.urls import reverse

    matter_at(StepKind.RESOLVE)  # resolution not disclosed in time
    matter_at(StepKind.DISCLOSE_RESOLUTION)  # result not disclosed after the planned completion
    matter_at(StepKind.PROPOSE)  # still being deliberated
    body = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    assert "共 3 项，结果已公开 0 项，未通过 0 项，逾期未公开 2 项。" in body


def test_matters_are_scoped_to_the_township(matter_at, staff, outsider, official, other_village):
    mine = matter_at(None)
    theirs = matter_at(None, village=other_village)
    assert set(matters_visible_to(staff)) == {mine}
    assert set(matters_visible_to(outsider)) == {theirs}
    assert set(matters_visible_to(official)) == {mine, theirs}


def test_matters_resolved_before_the_deadline_was_kept_get_it_from_their_step(matter_at, village):
    """decisions 0006 fills ``disclose_by`` for matters resolved earlier: the vote's date plus the
    notice period kept on their 决议 step, the same day the service now stores."""
    import importlib

    from django.db import connection

    DecisionPolicy.objects.create(county=village.township.county, effective_from=TODAY, notice_period_days=15)
    resolved = matter_at(StepKind.RESOLVE)
    recorded = Matter.objects.get(pk=resolved.pk).disclose_by
    assert recorded == resolved.resolved_on + dt.timedelta(days=15)
    Matter.objects.filter(pk=resolved.pk).update(disclose_by=None)
    migration = importlib.import_module("decisions.migrations.0006_matter_disclose_by")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    assert Matter.objects.get(pk=resolved.pk).disclose_by == recorded


def test_the_villages_tally_moves_with_every_write(matter_at, village, other_village, staff):
    """decisions 0007: the per-village counts the dashboards read are kept by the database in the
    same transaction as each write, and always equal a recount of the matters."""
    import importlib

    from django.db import connection

    from decisions.models import MatterTally
    from tests.decisions.factories import MatterFactory

    matter_at(StepKind.RESOLVE)
    matter_at(StepKind.PROPOSE)
    moved = matter_at(None)
    MatterFactory(village=other_village, created_by=staff)
    Matter.objects.filter(pk=moved.pk).update(village=other_village)
    Matter.objects.filter(village=other_village).exclude(pk=moved.pk).delete()
    tally = {t.village_id: (t.total, t.new, t.proposed, t.resolved) for t in MatterTally.objects.all()}
    assert tally == {village.pk: (2, 0, 1, 1), other_village.pk: (1, 1, 0, 0)}
    migration = importlib.import_module("decisions.migrations.0007_matter_tally")
    MatterTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.RECOUNT)
    recounted = {t.village_id: (t.total, t.new, t.proposed, t.resolved) for t in MatterTally.objects.all()}
    assert recounted == tally
