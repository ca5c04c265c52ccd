"""四议两公开 thresholds per county with effective dates (issue item 5): a step keeps the thresholds
and notice period in force when it was recorded and is judged by them; new steps use the county's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import services
from decisions.models import DecisionPolicy, Matter, Step, StepKind
from decisions.services import Vote

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 2)


def vote(due, present, votes_for=None):
    votes_for = present if votes_for is None else votes_for
    return Vote(members_due=due, present=present, votes_for=votes_for, votes_against=0, votes_abstain=0)


def _three_quarters_from_today(user, county):
    services.policy_schedule(
        user=user,
        county=county,
        effective_from=timezone.localdate(),
        review_quorum_num=3,
        review_quorum_den=4,
        review_approval_num=1,
        review_approval_den=2,
        notice_period_days=10,
    )


def test_a_step_keeps_the_rules_it_was_recorded_under(matter_at, staff, official, village):
    matter = matter_at(StepKind.CONSULT)
    step = services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, 14))  # 14/20 ≥ 2/3
    assert (step.rule_quorum_num, step.rule_quorum_den, step.rule_notice_days) == (2, 3, 7)
    _three_quarters_from_today(official, village.township.county)
    # A correction of the recorded 审议 is judged by 2/3 still: 14 of 20 (70%) stays enough.
    services.step_correct(step=step, user=staff, reason="票数录错", present=14, votes_for=13)
    step.refresh_from_db()
    assert step.passed and step.present == 14


@pytest.mark.parametrize(("present", "ok"), [(15, True), (14, False), (16, True)])
def test_new_steps_use_the_countys_rules(matter_at, staff, official, village, present, ok):
    _three_quarters_from_today(official, village.township.county)
    matter = matter_at(StepKind.CONSULT)
    if ok:
        step = services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, present))
        assert (step.rule_quorum_num, step.rule_quorum_den) == (3, 4)
    else:
        with pytest.raises(ValidationError):
            services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, present))
    matter.refresh_from_db()
    assert (matter.state == Matter.State.REVIEWED) is ok


def test_another_countys_rules_do_not_apply(matter_at, staff, admin_user):
    from tests.factories import CountyFactory

    other = CountyFactory(code="513322000000", name="泸定县")
    _three_quarters_from_today(admin_user, other)
    matter = matter_at(StepKind.CONSULT)
    step = services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, 14))
    assert (step.rule_quorum_num, step.rule_quorum_den) == (2, 3)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"review_quorum_num": 4, "review_quorum_den": 3}, "review_quorum_num"),  # quorum above 100%
        ({"review_approval_num": 3, "review_approval_den": 2}, "review_approval_num"),
        ({"review_quorum_den": 0}, "review_quorum_den"),
        ({"notice_period_days": 0}, "notice_period_days"),
    ],
)
def test_bad_thresholds_are_refused_and_nothing_saved(official, values, field):
    policy = {
        "review_quorum_num": 2,
        "review_quorum_den": 3,
        "review_approval_num": 1,
        "review_approval_den": 2,
        "notice_period_days": 7,
        **values,
    }
    with pytest.raises(ValidationError) as caught:
        services.policy_schedule(
            user=official, county=official.county, effective_from=timezone.localdate(), **policy
        )
    assert field in caught.value.message_dict
    assert not DecisionPolicy.objects.exists()


def test_steps_recorded_before_county_policy_were_filled_from_the_default(matter_at):
    matter = matter_at(StepKind.REVIEW)
    assert not Step.objects.filter(matter=matter, rule_quorum_num__isnull=True).exists()
