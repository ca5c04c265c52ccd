"""Plausible dates of 四议两公开 (issue [6/10], decisions/rules.py), at their boundaries.

Rules as decided (README): a planned completion not earlier than 366 days before the day the matter is
entered nor before the village existed; step dates not before the village existed, not after today,
not before the previous step; a result disclosed only after the resolution's notice period (posted
on day D for n days, it runs D … D+n−1; the result may be posted from D+n)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import Matter, StepKind
from tests.decisions.factories import MatterFactory
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _create(village, staff, planned):
    return services.matter_create(
        village=village,
        user=staff,
        title="村道硬化工程",
        category="project",
        description="硬化村道3公里。",
        planned_completion=planned,
    )


@pytest.mark.parametrize(
    ("days_before_today", "accepted"),
    [(367, False), (366, True), (365, True), (0, True)],
)
def test_a_planned_completion_may_lie_at_most_366_days_before_entry(
    village, staff, days_before_today, accepted
):
    planned = TODAY - dt.timedelta(days=days_before_today)
    if accepted:
        assert _create(village, staff, planned).planned_completion == planned
    else:
        with pytest.raises(ValidationError) as exc:
            _create(village, staff, planned)
        assert "planned_completion" in exc.value.message_dict
        assert Matter.objects.count() == 0


def test_a_planned_completion_of_1900_is_refused_on_the_form(staff_client, village):
    data = {
        "village": village.code,
        "title": "村道硬化工程",
        "category": "project",
        "description": "硬化村道3公里。",
        "planned_completion": "1900-01-01",
    }
    response = staff_client.post(reverse("decisions:matter_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    earliest = (TODAY - dt.timedelta(days=366)).isoformat()
    assert f"计划完成日期不能早于{earliest}" in page
    assert "村道硬化工程" in page  # the typed values come back
    assert Matter.objects.count() == 0


@pytest.mark.parametrize(("offset", "accepted"), [(-1, False), (0, True), (1, True)])
def test_a_planned_completion_not_before_the_village_existed(township, staff, offset, accepted):
    founded = TODAY - dt.timedelta(days=30)
    young = VillageFactory(township=township, code="513301101299", name="新设村", valid_from=founded)
    planned = founded + dt.timedelta(days=offset)
    if accepted:
        _create(young, staff, planned)
    else:
        with pytest.raises(ValidationError):
            _create(young, staff, planned)


@pytest.mark.parametrize(("offset", "accepted"), [(-1, False), (0, True), (1, True)])
def test_a_step_not_before_the_village_existed(township, staff, offset, accepted):
    founded = TODAY - dt.timedelta(days=30)
    young = VillageFactory(township=township, code="513301101298", name="新设村", valid_from=founded)
    matter = MatterFactory(village=young, created_by=staff, planned_completion=TODAY)
    held_on = founded + dt.timedelta(days=offset)
    if accepted:
        services.matter_propose(matter=matter, user=staff, held_on=held_on, text="提议")
    else:
        with pytest.raises(ValidationError) as exc:
            services.matter_propose(matter=matter, user=staff, held_on=held_on, text="提议")
        assert exc.value.message_dict["held_on"] == [f"日期不能早于本村设立日期（{founded.isoformat()}）。"]
        assert not matter.steps.exists()


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, True), (1, False)])
def test_a_step_not_in_the_future(matter, staff, offset, accepted):
    held_on = TODAY + dt.timedelta(days=offset)
    if accepted:
        services.matter_propose(matter=matter, user=staff, held_on=held_on, text="提议")
    else:
        with pytest.raises(ValidationError):
            services.matter_propose(matter=matter, user=staff, held_on=held_on, text="提议")


# The factory records 决议公开 on 2025-03-31 with the default notice of 7 days: the notice runs
# 2025-03-31 … 2025-04-06 and the result may be disclosed from 2025-04-07 (hand count).
@pytest.mark.parametrize(
    ("held_on", "accepted"),
    [(dt.date(2025, 4, 6), False), (dt.date(2025, 4, 7), True), (dt.date(2025, 4, 8), True)],
)
def test_a_result_is_disclosed_only_after_the_notice_period(matter_at, staff, held_on, accepted):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION)
    disclosure = matter.steps.get(kind=StepKind.DISCLOSE_RESOLUTION)
    assert (disclosure.held_on, disclosure.notice_days) == (dt.date(2025, 3, 31), 7)
    call = lambda: services.matter_disclose_result(matter=matter, user=staff, held_on=held_on, outcome="完成")  # noqa: E731
    if accepted:
        call()
        matter.refresh_from_db()
        assert matter.state == Matter.State.COMPLETED
    else:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "2025-04-07" in exc.value.message_dict["held_on"][0]
        matter.refresh_from_db()
        assert matter.state == Matter.State.DISCLOSED


def test_the_result_form_states_the_earliest_day_next_to_the_field(staff_client, matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION)
    page = staff_client.get(reverse("decisions:matter_detail", args=[matter.public_id])).content.decode()
    assert "决议公示期到2025-04-06为止，实施结果最早2025-04-07公开。" in page
    assert 'min="2025-04-07"' in page and f'max="{TODAY.isoformat()}"' in page


def test_a_resolution_disclosure_not_before_the_resolution(matter_at, staff):
    matter = matter_at(StepKind.RESOLVE)  # resolved on 2025-03-24
    with pytest.raises(ValidationError):
        services.matter_disclose_resolution(
            matter=matter, user=staff, held_on=dt.date(2025, 3, 23), place="村务公开栏"
        )
    services.matter_disclose_resolution(
        matter=matter, user=staff, held_on=dt.date(2025, 3, 24), place="村务公开栏"
    )
