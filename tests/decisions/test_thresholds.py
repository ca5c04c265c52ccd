"""Every quorum and vote threshold of DESIGN §6 exactly at, one below and one above its boundary.

A missed quorum means the meeting was not valid: an error, nothing saved. A quorate meeting that
votes the matter down records the vote and ends the matter as rejected.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from decisions import services
from decisions.models import DecisionPolicy, Matter, MeetingType, Step, StepKind
from decisions.services import Vote

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 2)


def vote(due, present, votes_for=None):
    votes_for = present if votes_for is None else votes_for
    return Vote(members_due=due, present=present, votes_for=votes_for, votes_against=0, votes_abstain=0)


def assert_nothing_saved(matter, state, steps):
    matter.refresh_from_db()
    assert matter.state == state
    assert Step.objects.filter(matter=matter).count() == steps


# --- 商议: more than half of the members present; more than half of those present in favour ----------


@pytest.mark.parametrize(
    ("due", "present", "ok"),
    [(7, 4, True), (7, 3, False), (7, 5, True), (8, 5, True), (8, 4, False), (8, 6, True)],
)
def test_consultation_needs_more_than_half_of_the_members_present(matter_at, staff, due, present, ok):
    matter = matter_at(StepKind.PROPOSE)
    if ok:
        services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=vote(due, present))
        matter.refresh_from_db()
        assert matter.state == Matter.State.CONSULTED
    else:
        with pytest.raises(ValidationError) as caught:
            services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=vote(due, present))
        assert caught.value.message_dict["present"] == [
            services.CONSULT_QUORUM_MISSED % {"due": due, "present": present}
        ]
        assert_nothing_saved(matter, Matter.State.PROPOSED, 1)


@pytest.mark.parametrize(("votes_for", "passed"), [(4, True), (3, False), (5, True)])
def test_consultation_passes_with_more_than_half_of_those_present(matter_at, staff, votes_for, passed):
    matter = matter_at(StepKind.PROPOSE)
    services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=vote(7, 6, votes_for))
    matter.refresh_from_db()
    assert matter.state == (Matter.State.CONSULTED if passed else Matter.State.REJECTED)
    assert matter.steps.get(kind=StepKind.CONSULT).passed is passed


# --- 审议: configurable, default 2/3 attendance and more than half of those due in favour -----------


@pytest.mark.parametrize(
    ("due", "present", "ok"),
    [(18, 12, True), (18, 11, False), (18, 13, True), (20, 14, True), (20, 13, False), (20, 15, True)],
)
def test_review_needs_two_thirds_of_party_members_present(matter_at, staff, due, present, ok):
    matter = matter_at(StepKind.CONSULT)
    if ok:
        services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(due, present))
        matter.refresh_from_db()
        assert matter.state == Matter.State.REVIEWED
    else:
        with pytest.raises(ValidationError) as caught:
            services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(due, present))
        expected = services.REVIEW_QUORUM_MISSED % {"num": 2, "den": 3, "due": due, "present": present}
        assert caught.value.message_dict["present"] == [expected]
        assert_nothing_saved(matter, Matter.State.CONSULTED, 2)


@pytest.mark.parametrize(("votes_for", "passed"), [(10, True), (9, False), (11, True)])
def test_review_passes_with_more_than_half_of_those_due_not_of_those_present(
    matter_at, staff, votes_for, passed
):
    matter = matter_at(StepKind.CONSULT)
    # 12 of 18 present: 9 votes would be a majority of those present, but not of the 18 due.
    services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(18, 12, votes_for))
    matter.refresh_from_db()
    assert matter.state == (Matter.State.REVIEWED if passed else Matter.State.REJECTED)


@pytest.mark.parametrize(("present", "ok"), [(15, True), (14, False), (16, True)])
def test_review_thresholds_follow_the_policy_row(matter_at, staff, present, ok):
    DecisionPolicy.objects.update_or_create(pk=1, defaults={"review_quorum_num": 3, "review_quorum_den": 4})
    matter = matter_at(StepKind.CONSULT)
    if ok:
        services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, present))
    else:
        with pytest.raises(ValidationError):
            services.matter_review(matter=matter, user=staff, held_on=DAY, vote=vote(20, present))
    matter.refresh_from_db()
    assert (matter.state == Matter.State.REVIEWED) is ok


# --- 决议, villagers' representatives' meeting: 2/3 present, more than half of those present ---------


def resolve(matter, staff, *, meeting_type, v, households=None, represented=None):
    return services.matter_resolve(
        matter=matter,
        user=staff,
        held_on=DAY,
        meeting_type=meeting_type,
        vote=v,
        households=households,
        households_represented=represented,
    )


@pytest.mark.parametrize(
    ("due", "present", "ok"),
    [(30, 20, True), (30, 19, False), (30, 21, True), (31, 21, True), (31, 20, False), (31, 22, True)],
)
def test_representatives_meeting_needs_two_thirds_present(matter_at, staff, due, present, ok):
    matter = matter_at(StepKind.REVIEW)
    if ok:
        resolve(matter, staff, meeting_type=MeetingType.REPRESENTATIVES, v=vote(due, present))
        matter.refresh_from_db()
        assert matter.state == Matter.State.RESOLVED
        assert matter.resolved_on == DAY
    else:
        with pytest.raises(ValidationError) as caught:
            resolve(matter, staff, meeting_type=MeetingType.REPRESENTATIVES, v=vote(due, present))
        expected = services.REPRESENTATIVES_QUORUM_MISSED % {"due": due, "present": present}
        assert caught.value.message_dict["present"] == [expected]
        assert_nothing_saved(matter, Matter.State.REVIEWED, 3)


@pytest.mark.parametrize(("votes_for", "passed"), [(11, True), (10, False), (12, True)])
def test_representatives_meeting_decides_by_more_than_half_of_those_present(
    matter_at, staff, votes_for, passed
):
    matter = matter_at(StepKind.REVIEW)
    resolve(matter, staff, meeting_type=MeetingType.REPRESENTATIVES, v=vote(30, 20, votes_for))
    matter.refresh_from_db()
    assert matter.state == (Matter.State.RESOLVED if passed else Matter.State.REJECTED)
    assert (matter.resolved_on is not None) is passed


# --- 决议, villagers' assembly: > half of villagers 18+ OR representatives of 2/3 of households ------


@pytest.mark.parametrize(("present", "ok"), [(201, True), (200, False), (202, True)])
def test_assembly_quorum_by_more_than_half_of_adult_villagers(matter_at, staff, present, ok):
    matter = matter_at(StepKind.REVIEW)
    kwargs = {
        "meeting_type": MeetingType.ASSEMBLY,
        "v": vote(400, present),
        "households": 150,
        "represented": 60,
    }
    if ok:
        resolve(matter, staff, **kwargs)
        matter.refresh_from_db()
        assert matter.state == Matter.State.RESOLVED
    else:
        with pytest.raises(ValidationError) as caught:
            resolve(matter, staff, **kwargs)
        params = {"due": 400, "present": present, "households": 150, "represented": 60}
        assert caught.value.message_dict["present"] == [services.ASSEMBLY_QUORUM_MISSED % params]
        assert_nothing_saved(matter, Matter.State.REVIEWED, 3)


@pytest.mark.parametrize(("represented", "ok"), [(100, True), (99, False), (101, True)])
def test_assembly_quorum_by_representatives_of_two_thirds_of_households(matter_at, staff, represented, ok):
    matter = matter_at(StepKind.REVIEW)
    # 150 attend: far from half of 400 adults, so only the household rule can make the meeting valid.
    kwargs = {
        "meeting_type": MeetingType.ASSEMBLY,
        "v": vote(400, 150),
        "households": 150,
        "represented": represented,
    }
    if ok:
        resolve(matter, staff, **kwargs)
    else:
        with pytest.raises(ValidationError):
            resolve(matter, staff, **kwargs)
    matter.refresh_from_db()
    assert (matter.state == Matter.State.RESOLVED) is ok


@pytest.mark.parametrize(("votes_for", "passed"), [(101, True), (100, False), (102, True)])
def test_assembly_decides_by_more_than_half_of_those_present(matter_at, staff, votes_for, passed):
    matter = matter_at(StepKind.REVIEW)
    resolve(
        matter,
        staff,
        meeting_type=MeetingType.ASSEMBLY,
        v=vote(400, 200, votes_for),
        households=150,
        represented=100,
    )
    matter.refresh_from_db()
    assert matter.state == (Matter.State.RESOLVED if passed else Matter.State.REJECTED)


def test_assembly_needs_the_household_numbers(matter_at, staff):
    matter = matter_at(StepKind.REVIEW)
    with pytest.raises(ValidationError) as caught:
        resolve(matter, staff, meeting_type=MeetingType.ASSEMBLY, v=vote(400, 300))
    assert caught.value.message_dict["households"] == [services.HOUSEHOLDS_REQUIRED]


def test_more_household_representatives_than_households_is_refused(matter_at, staff):
    matter = matter_at(StepKind.REVIEW)
    with pytest.raises(ValidationError) as caught:
        resolve(
            matter,
            staff,
            meeting_type=MeetingType.ASSEMBLY,
            v=vote(400, 300),
            households=100,
            represented=101,
        )
    assert caught.value.message_dict["households_represented"] == [services.HOUSEHOLDS_OVER_TOTAL]
