"""Confirmation before a step is recorded, and corrections of recorded steps (issue [6/10])."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import Matter, Step, StepCorrection, StepKind
from decisions.services import Vote

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def step_url(matter, slug):
    return reverse("decisions:step_record", kwargs={"public_id": matter.public_id, "step": slug})


def correct_url(matter, slug):
    return reverse("decisions:step_correct", kwargs={"public_id": matter.public_id, "step": slug})


def detail_url(matter):
    return reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})


# 审议 with 20 party members due and 15 present passes with more than 10 for (DESIGN §6 default:
# more than half of those due): 11 for / 3 against passes; typed the wrong way round (3 / 11) it fails.
SWAPPED = {"members_due": 20, "present": 15, "votes_for": 3, "votes_against": 11, "votes_abstain": 1}
INTENDED = {"members_due": 20, "present": 15, "votes_for": 11, "votes_against": 3, "votes_abstain": 1}


def review_data(**counts):
    return {"held_on": TODAY.isoformat(), "text": "党员大会审议。", **counts}


def test_a_failing_vote_is_shown_in_red_before_anything_is_saved(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    response = staff_client.post(step_url(matter, "review"), review_data(**SWAPPED))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="error" role="alert" id="confirm-outcome">' in page
    assert "表决未通过：事项将以“未通过”结束" in page
    matter.refresh_from_db()
    assert matter.state == Matter.State.CONSULTED and not matter.steps.filter(kind=StepKind.REVIEW).exists()


def test_returning_to_the_form_keeps_the_numbers_typed(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    response = staff_client.post(step_url(matter, "review"), {**review_data(**SWAPPED), "revise": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="votes_against" value="11"' in page and 'name="votes_for" value="3"' in page
    assert not matter.steps.filter(kind=StepKind.REVIEW).exists()


def test_a_passing_vote_states_the_next_state_and_records_on_confirmation(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    page = staff_client.post(step_url(matter, "review"), review_data(**INTENDED)).content.decode()
    assert "录入后事项状态为“已审议”。" in page and "表决未通过" not in page
    response = staff_client.post(step_url(matter, "review"), {**review_data(**INTENDED), "confirmed": "1"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == Matter.State.REVIEWED


def test_a_confirmed_failing_vote_ends_the_matter_with_an_error_message_not_a_green_one(
    staff_client, matter_at
):
    matter = matter_at(StepKind.CONSULT)
    response = staff_client.post(
        step_url(matter, "review"), {**review_data(**SWAPPED), "confirmed": "1"}, follow=True
    )
    page = response.content.decode()
    matter.refresh_from_db()
    assert matter.state == Matter.State.REJECTED
    assert '<li class="msg-error">已录入“审议”：表决未通过，事项以“未通过”结束。</li>' in page
    assert "msg-success" not in page


def test_the_confirmation_refuses_what_the_rules_refuse(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    data = review_data(**{**INTENDED, "present": 10, "votes_for": 8, "votes_against": 1})  # 10 of 20 < 2/3
    response = staff_client.post(step_url(matter, "review"), data)
    assert response.status_code == 400 and "会议无效" in response.content.decode()


# --- corrections ------------------------------------------------------------------------------------


def test_staff_correct_a_step_date_with_a_reason_and_everyone_sees_it(
    staff_client, official_client, matter_at, staff
):
    matter = matter_at(StepKind.RESOLVE)  # consult 2025-03-10, review 2025-03-17, resolve 2025-03-24
    form = staff_client.get(correct_url(matter, "review")).content.decode()
    assert 'value="2025-03-17"' in form
    data = {"held_on": "2025-03-18", "text": "", "reason": "会议记录上的日期是3月18日。"}
    data.update({k: 20 for k in ("members_due", "present", "votes_for")}, votes_against=0, votes_abstain=0)
    response = staff_client.post(correct_url(matter, "review"), data)
    assert response.status_code == 302
    step = matter.steps.get(kind=StepKind.REVIEW)
    assert step.held_on == dt.date(2025, 3, 18)
    correction = StepCorrection.objects.get()
    assert correction.changes == {"held_on": ["2025-03-17", "2025-03-18"]}
    assert correction.corrected_by == staff
    for client in (staff_client, official_client):
        page = client.get(detail_url(matter)).content.decode()
        assert "更正" in page and "会议记录上的日期是3月18日。" in page and "2025-03-17 → 2025-03-18" in page
    assert step.history.count() == 2  # the version before the correction stays in the history


def test_a_correction_needs_a_reason(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    response = staff_client.post(correct_url(matter, "propose"), {"held_on": "2025-03-04", "text": "提议"})
    assert response.status_code == 400
    assert matter.steps.get().held_on == dt.date(2025, 3, 3) and not StepCorrection.objects.exists()


def test_a_correction_may_not_change_a_votes_outcome(matter_at, staff):
    matter = matter_at(StepKind.REVIEW)  # 20 due, 20 present, 20 for
    step = matter.steps.get(kind=StepKind.REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.step_correct(step=step, user=staff, reason="票数录错", votes_for=10, votes_against=10)
    assert exc.value.code == "outcome"
    step.refresh_from_db()
    assert step.votes_for == 20 and not StepCorrection.objects.exists()
    # 11 for of 20 due still passes: a correction that keeps the outcome is accepted.
    services.step_correct(step=step, user=staff, reason="票数录错", votes_for=11, votes_against=9)
    step.refresh_from_db()
    assert (step.votes_for, step.votes_against, step.passed) == (11, 9, True)


def test_a_rejected_matters_swapped_numbers_can_be_corrected_but_stay_rejected(matter_at, staff):
    matter = matter_at(StepKind.CONSULT)
    services.matter_review(matter=matter, user=staff, held_on=TODAY, vote=Vote(20, 15, 3, 11, 1))
    step = matter.steps.get(kind=StepKind.REVIEW)
    services.step_correct(step=step, user=staff, reason="反对票录错", votes_for=4, votes_against=10)
    with pytest.raises(ValidationError):
        services.step_correct(step=step, user=staff, reason="改成通过", votes_for=11, votes_against=3)
    matter.refresh_from_db()
    assert matter.state == Matter.State.REJECTED


@pytest.mark.parametrize(
    ("held_on", "accepted"),
    # review is between consult (2025-03-10) and resolve (2025-03-24)
    [
        (dt.date(2025, 3, 9), False),
        (dt.date(2025, 3, 10), True),
        (dt.date(2025, 3, 24), True),
        (dt.date(2025, 3, 25), False),
    ],
)
def test_a_corrected_date_stays_between_its_neighbours(matter_at, staff, held_on, accepted):
    matter = matter_at(StepKind.RESOLVE)
    step = matter.steps.get(kind=StepKind.REVIEW)
    if accepted:
        services.step_correct(step=step, user=staff, reason="日期录错", held_on=held_on)
    else:
        with pytest.raises(ValidationError) as exc:
            services.step_correct(step=step, user=staff, reason="日期录错", held_on=held_on)
        assert "held_on" in exc.value.message_dict


def test_correcting_a_resolution_date_moves_the_matters_date(matter_at, staff):
    matter = matter_at(StepKind.RESOLVE)
    step = matter.steps.get(kind=StepKind.RESOLVE)
    services.step_correct(step=step, user=staff, reason="日期录错", held_on=dt.date(2025, 3, 25))
    matter.refresh_from_db()
    assert matter.resolved_on == dt.date(2025, 3, 25)
    # The disclosure deadline follows: 7 days (the default notice period) after the corrected vote.
    assert matter.disclose_by == dt.date(2025, 4, 1)


def test_a_shorter_notice_may_not_put_the_result_inside_it(matter_at, staff):
    matter = matter_at(StepKind.DISCLOSE_RESULT)  # disclosed 2025-03-31 for 7 days, result 2025-04-07
    step = matter.steps.get(kind=StepKind.DISCLOSE_RESOLUTION)
    with pytest.raises(ValidationError):
        services.step_correct(step=step, user=staff, reason="公示天数录错", notice_days=8)
    with pytest.raises(ValidationError):
        services.step_correct(step=step, user=staff, reason="日期录错", held_on=dt.date(2025, 4, 1))


def test_only_the_township_corrects(official_client, outsider_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    data = {"held_on": "2025-03-04", "text": "提议", "reason": "日期录错"}
    assert official_client.post(correct_url(matter, "propose"), data).status_code == 403
    assert outsider_client.post(correct_url(matter, "propose"), data).status_code == 404
    assert Step.objects.get().held_on == dt.date(2025, 3, 3)
