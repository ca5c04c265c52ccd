"""Party membership and the committee rules ([7/10]). Expected numbers from DESIGN §3 and §5:
a branch with 7+ full members has a committee of 3-5 (secretary, organisation, propaganda,
discipline inspection, optional deputy), a smaller one a secretary only; the village supervision
committee has 3-5 members chaired by the branch's 纪检委员."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres import membership as ms
from cadres import services
from cadres.models import Committee, DevelopmentStage, DutyKind, JoinKind, Membership, Position, Post
from cadres.selectors import annotate_branch_rules, branch_member_counts, branch_rule_issues
from tests.cadres.factories import DevelopmentFactory, PersonFactory, PostFactory
from villages.models import PartyBranch

D = dt.date
JOINED = D(2020, 1, 1)
DAY = D(2026, 6, 1)


def branch_of(village) -> PartyBranch:
    return PartyBranch.objects.get(village=village, kind="village")


def add_members(branch, count: int, *, full: bool = True, joined: dt.date = JOINED) -> list[Membership]:
    """``count`` members put straight into the table (the counts, not the services, are under test)."""
    rows = []
    for _ in range(count):
        person = PersonFactory(home_village=branch.village)
        rows.append(
            Membership.objects.create(
                person=person,
                branch=branch,
                joined_on=joined,
                joined_how=JoinKind.REGISTERED,
                full_since=joined if full else None,
            )
        )
    return rows


def rules(branch, on=DAY):
    return annotate_branch_rules(PartyBranch.objects.filter(pk=branch.pk), on=on).get()


def post(village, position, committee=Committee.BRANCH, **kwargs):
    return PostFactory(
        village=village, committee=committee, position=position, start_date=D(2022, 3, 15), **kwargs
    )


BRANCH_POSITIONS = [
    Position.SECRETARY,
    Position.ORGANISATION,
    Position.PROPAGANDA,
    Position.DISCIPLINE_INSPECTION,
    Position.DEPUTY_SECRETARY,
    Position.DEPUTY_SECRETARY,
]


# ---------------------------------------------------------------- branch committee: 7 full members


@pytest.mark.parametrize(("full", "allowed"), [(6, False), (7, True)])
def test_a_committee_post_needs_seven_full_members(village, full, allowed):
    branch = branch_of(village)
    add_members(branch, full)
    add_members(branch, 3, full=False)  # probationary members never count towards the 7
    person = PersonFactory(home_village=village)
    create = lambda: services.post_create(  # noqa: E731
        person=person, village=village, committee="branch", position="organisation", start_date=DAY
    )
    if allowed:
        assert create().position == "organisation"
    else:
        with pytest.raises(ValidationError) as exc:
            create()
        assert exc.value.message_dict["position"] == [
            str(ms.RULE_COMMITTEE_NEEDS_SEVEN)
            % {"branch": branch.name, "date": "2026-06-01", "full": 6, "position": "组织委员"}
        ]
        assert not Post.objects.exists()


def test_a_secretary_is_allowed_below_seven_full_members(village):
    add_members(branch_of(village), 3)
    person = PersonFactory(home_village=village)
    services.post_create(
        person=person, village=village, committee="branch", position="secretary", start_date=DAY
    )
    row = rules(branch_of(village))
    assert (row.full_member_count, row.committee_post_count, row.committee_ok) == (3, 1, True)


@pytest.mark.parametrize(("posts", "ok"), [(2, False), (3, True), (5, True), (6, False)])
def test_a_seven_member_branch_needs_a_committee_of_three_to_five(village, posts, ok):
    branch = branch_of(village)
    add_members(branch, 7)
    for position in BRANCH_POSITIONS[:posts]:
        post(village, position)
    row = rules(branch)
    assert (row.full_member_count, row.committee_post_count, row.committee_ok) == (7, posts, ok)
    issues = branch_rule_issues(branch, on=DAY)
    if ok:
        assert not any("支部委员会" in issue for issue in issues)
    elif posts == 2:
        assert str(ms.ISSUE_COMMITTEE_TOO_SMALL) % {"full": 7, "count": 2} in issues
    else:
        assert str(ms.ISSUE_COMMITTEE_TOO_LARGE) % {"count": 6} in issues


@pytest.mark.parametrize(("existing", "allowed"), [(4, True), (5, False)])
def test_the_service_refuses_a_sixth_committee_member(village, existing, allowed):
    branch = branch_of(village)
    add_members(branch, 9)
    for position in BRANCH_POSITIONS[:existing]:
        post(village, position)
    person = PersonFactory(home_village=village)
    create = lambda: services.post_create(  # noqa: E731
        person=person, village=village, committee="branch", position="deputy_secretary", start_date=DAY
    )
    if allowed:
        create()
        assert Post.objects.filter(village=village, committee="branch").count() == 5
    else:
        with pytest.raises(ValidationError) as exc:
            create()
        assert exc.value.message_dict["position"] == [
            str(ms.RULE_COMMITTEE_FULL) % {"branch": branch.name, "count": 5}
        ]
        assert Post.objects.filter(village=village, committee="branch").count() == 5


def test_committee_posts_on_a_small_branch_are_flagged(village):
    """The issue's 炉城 example: 5 full members yet 组织/宣传/纪检 posts."""
    branch = branch_of(village)
    add_members(branch, 5)
    for position in BRANCH_POSITIONS[:4]:
        post(village, position)
    row = rules(branch)
    assert (row.full_member_count, row.committee_ok) == (5, False)
    assert str(ms.ISSUE_SECRETARY_ONLY) % {"full": 5, "positions": "组织委员、宣传委员、纪检委员"} in (
        branch_rule_issues(branch, on=DAY)
    )


# ---------------------------------------------------------------- supervision committee


def _supervision(village, size, *, chair_is_discipline=True):
    discipline = post(village, Position.DISCIPLINE_INSPECTION)
    chair_person = discipline.person if chair_is_discipline else PersonFactory(home_village=village)
    post(village, Position.SUPERVISION_CHAIR, Committee.SUPERVISION, person=chair_person)
    for _ in range(size - 1):
        post(village, Position.SUPERVISION_MEMBER, Committee.SUPERVISION)


@pytest.mark.parametrize(("size", "ok"), [(2, False), (3, True), (5, True), (6, False)])
def test_the_supervision_committee_has_three_to_five_members(village, size, ok):
    add_members(branch_of(village), 7)
    _supervision(village, size)
    row = rules(branch_of(village))
    assert (row.supervision_member_count, row.supervision_ok) == (size, ok)
    assert (
        str(ms.ISSUE_SUPERVISION_SIZE) % {"count": size} in branch_rule_issues(branch_of(village), on=DAY)
    ) is (not ok)


@pytest.mark.parametrize(("existing", "allowed"), [(4, True), (5, False)])
def test_the_service_refuses_a_sixth_supervision_member(village, existing, allowed):
    add_members(branch_of(village), 7)
    _supervision(village, existing)
    person = PersonFactory(home_village=village)
    create = lambda: services.post_create(  # noqa: E731
        person=person, village=village, committee="supervision", position="supervision_member", start_date=DAY
    )
    if allowed:
        create()
    else:
        with pytest.raises(ValidationError) as exc:
            create()
        assert exc.value.message_dict["position"] == [
            str(ms.RULE_SUPERVISION_FULL) % {"village": village.name, "count": 5}
        ]
    assert Post.objects.filter(village=village, committee="supervision").count() == 5


def test_the_supervision_chair_must_be_the_current_discipline_member(village):
    add_members(branch_of(village), 7)
    discipline = post(village, Position.DISCIPLINE_INSPECTION)
    stranger = PersonFactory(home_village=village, name="非纪检")
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            person=stranger,
            village=village,
            committee="supervision",
            position="supervision_chair",
            start_date=DAY,
        )
    assert exc.value.message_dict["position"] == [
        str(ms.RULE_CHAIR_NOT_DISCIPLINE) % {"name": "非纪检", "date": "2026-06-01"}
    ]
    chair = services.post_create(
        person=discipline.person,
        village=village,
        committee="supervision",
        position="supervision_chair",
        start_date=DAY,
    )
    assert chair.person == discipline.person
    # Once the 纪检委员 leaves that post, the chair no longer matches: flagged, not refused after the fact.
    services.post_end(post=discipline, end_date=D(2026, 7, 1))
    row = rules(branch_of(village), on=D(2026, 7, 2))
    assert (row.supervision_chair_mismatch, row.supervision_ok) == (True, False)
    assert rules(branch_of(village), on=D(2026, 7, 1)).supervision_chair_mismatch is False


# ---------------------------------------------------------------- counts and transfers


def test_counts_follow_a_transfer_before_on_and_after_its_day(village, other_village):
    a, b = branch_of(village), branch_of(other_village)
    [member] = add_members(a, 1)
    add_members(a, 1, full=False)
    ms.membership_transfer(membership=member, to_branch=b, on=D(2026, 3, 1))
    for day, expected in [
        (D(2026, 2, 28), {a.pk: (1, 1), b.pk: (0, 0)}),
        (D(2026, 3, 1), {a.pk: (0, 1), b.pk: (1, 0)}),
        (D(2026, 3, 2), {a.pk: (0, 1), b.pk: (1, 0)}),
    ]:
        assert branch_member_counts([a.pk, b.pk], on=day) == expected, day
    arrived = Membership.objects.get(branch=b)
    assert (arrived.joined_how, arrived.from_branch, arrived.full_since) == ("transfer_in", a, JOINED)
    member.refresh_from_db()
    assert (member.left_on, member.left_how, member.to_branch) == (D(2026, 3, 1), "transfer_out", b)


def test_counts_of_unknown_branches_are_zero(village):
    assert branch_member_counts([987654], on=DAY) == {987654: (0, 0)}


def test_a_transfer_out_that_drops_a_branch_to_six_is_flagged(village, other_village):
    branch = branch_of(village)
    members = add_members(branch, 7)
    for position in BRANCH_POSITIONS[:4]:
        post(village, position)
    assert rules(branch).committee_ok is True
    ms.membership_transfer(membership=members[0], to_branch=branch_of(other_village), on=D(2026, 5, 1))
    row = rules(branch)
    assert (row.full_member_count, row.committee_ok) == (6, False)
    assert str(ms.ISSUE_SECRETARY_ONLY) % {"full": 6, "positions": "组织委员、宣传委员、纪检委员"} in (
        branch_rule_issues(branch, on=DAY)
    )


def test_a_transfer_dated_before_joining_is_refused(village, other_village):
    [member] = add_members(branch_of(village), 1, joined=D(2024, 5, 10))
    with pytest.raises(ValidationError) as exc:
        ms.membership_transfer(membership=member, to_branch=branch_of(other_village), on=D(2024, 5, 9))
    assert exc.value.message_dict["on"] == [str(ms.MEMBER_TRANSFER_BEFORE_JOINED) % {"joined": "2024-05-10"}]
    assert Membership.objects.count() == 1
    member.refresh_from_db()
    assert member.left_on is None


def test_a_person_in_two_branches_at_once_is_refused_by_the_service(village, other_village):
    [member] = add_members(branch_of(village), 1)
    with pytest.raises(ValidationError) as exc:
        ms.membership_register(
            person=member.person, branch=branch_of(other_village), joined_on=DAY, full_since=JOINED
        )
    assert exc.value.message_dict["person"] == [
        str(ms.MEMBER_ALREADY_IN_BRANCH)
        % {"name": member.person.name, "branch": branch_of(village).name, "since": "2020-01-01"}
    ]
    assert Membership.objects.count() == 1


def test_the_database_refuses_two_open_memberships(village, other_village):
    [member] = add_members(branch_of(village), 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=member.person, branch=branch_of(other_village), joined_on=DAY, joined_how="registered"
        )


def test_the_database_refuses_overlapping_periods(village, other_village):
    person = PersonFactory(home_village=village)
    Membership.objects.create(
        person=person,
        branch=branch_of(village),
        joined_on=D(2020, 1, 1),
        joined_how="registered",
        left_on=D(2024, 1, 1),
        left_how="other",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=person,
            branch=branch_of(other_village),
            joined_on=D(2022, 1, 1),
            joined_how="registered",
            left_on=D(2023, 1, 1),
            left_how="other",
        )
    # Back to back (left one day, joined the same day) is not an overlap.
    Membership.objects.create(
        person=person, branch=branch_of(other_village), joined_on=D(2024, 1, 1), joined_how="registered"
    )


# ---------------------------------------------------------------- the development flow


def _candidate(village) -> object:
    return DevelopmentFactory(
        village=village,
        stage=DevelopmentStage.CANDIDATE,
        applied_on=D(2023, 3, 1),
        talked_on=D(2023, 3, 20),
        activist_on=D(2023, 6, 1),
        candidate_on=D(2024, 7, 1),
    )


def test_admission_starts_probation_and_confirmation_makes_the_member_full(village):
    branch = branch_of(village)
    development = _candidate(village)
    services.development_admit(development=development, on=D(2025, 1, 10), due=9, present=8, yes=7)
    membership = Membership.objects.get(person=development.person)
    assert (membership.branch, membership.joined_on, membership.full_since) == (branch, D(2025, 1, 10), None)
    assert branch_member_counts([branch.pk], on=D(2025, 6, 1)) == {branch.pk: (0, 1)}
    services.development_confirm(development=development, on=D(2026, 1, 15), due=10, present=9, yes=9)
    membership.refresh_from_db()
    assert membership.full_since == D(2026, 1, 15)
    assert branch_member_counts([branch.pk], on=D(2026, 1, 14)) == {branch.pk: (0, 1)}
    assert branch_member_counts([branch.pk], on=D(2026, 1, 15)) == {branch.pk: (1, 0)}


def test_confirmation_follows_a_probationary_member_who_moved(village, other_village):
    development = _candidate(village)
    services.development_admit(development=development, on=D(2025, 1, 10), due=9, present=8, yes=7)
    ms.membership_transfer(
        membership=Membership.objects.get(person=development.person),
        to_branch=branch_of(other_village),
        on=D(2025, 8, 1),
    )
    services.development_confirm(development=development, on=D(2026, 1, 15), due=10, present=9, yes=9)
    now = Membership.objects.get(person=development.person, left_on__isnull=True)
    assert (now.branch, now.full_since) == (branch_of(other_village), D(2026, 1, 15))


def test_a_full_member_cannot_be_admitted_again(village):
    development = _candidate(village)
    Membership.objects.create(
        person=development.person,
        branch=branch_of(village),
        joined_on=JOINED,
        joined_how="registered",
        full_since=JOINED,
    )
    with pytest.raises(ValidationError):
        services.development_admit(development=development, on=D(2025, 1, 10), due=9, present=8, yes=7)
    development.refresh_from_db()
    assert development.stage == DevelopmentStage.CANDIDATE


def test_registering_needs_a_full_since_date_not_after_joining(village):
    person = PersonFactory(home_village=village)
    with pytest.raises(ValidationError) as exc:
        ms.membership_register(
            person=person, branch=branch_of(village), joined_on=D(2026, 1, 1), full_since=D(2026, 1, 2)
        )
    assert exc.value.message_dict["full_since"] == [str(ms.MEMBER_FULL_SINCE_FUTURE)]
    assert not Membership.objects.exists()


# ---------------------------------------------------------------- duty posts


def test_duty_kinds_are_seeded(db):
    """The migration seeds the four default kinds (tables emptied by a browser test lose them, so
    the seeding function is checked here and ``ensure_default_duty_kinds`` puts them back)."""
    import importlib

    migration = importlib.import_module("cadres.migrations.0005_membership")
    assert migration.DEFAULT_DUTY_KINDS == ms.DEFAULT_DUTY_KINDS
    ms.ensure_default_duty_kinds()
    ms.ensure_default_duty_kinds()
    assert sorted(DutyKind.objects.values_list("name", flat=True)) == sorted(
        ["政策宣传岗", "环境监督岗", "矛盾调解岗", "民情收集岗"]
    )


def test_a_duty_post_is_refused_for_an_office_holder_and_given_to_a_member_without_office(village):
    holder, plain = add_members(branch_of(village), 2)
    PostFactory(
        village=village,
        person=holder.person,
        committee="villagers",
        position="member",
        start_date=D(2022, 3, 15),
    )
    ms.ensure_default_duty_kinds()
    kind = DutyKind.objects.get(name="环境监督岗")
    with pytest.raises(ValidationError) as exc:
        ms.duty_assign(
            membership=holder, kind=kind, year=2026, assigned_on=D(2026, 3, 1), note="每月巡查一次"
        )
    assert exc.value.message_dict["membership"] == [
        str(ms.DUTY_HOLDS_OFFICE) % {"name": holder.person.name, "post": f"{village.name}委员"}
    ]
    duty = ms.duty_assign(
        membership=plain, kind=kind, year=2026, assigned_on=D(2026, 3, 1), note="每月巡查一次"
    )
    assert (duty.kind.name, duty.year, duty.note) == ("环境监督岗", 2026, "每月巡查一次")
    with pytest.raises(ValidationError):
        ms.duty_assign(membership=plain, kind=kind, year=2026, assigned_on=D(2026, 4, 1), note="再设一次")
