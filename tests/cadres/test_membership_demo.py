"""The demo's party members: every village branch compliant except the deliberate exceptions, which
are flagged; probationary members come from development records; duty posts only for members
without an office."""

import datetime as dt

import pytest

from cadres import demo
from cadres.membership import annotate_branch_rules, branch_rule_issues
from cadres.models import Committee, Development, DevelopmentStage, DutyAssignment, Membership, Post
from villages import demo as village_demo
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 25)  # the demo's "today"


def test_the_demo_branches_are_compliant_except_the_deliberate_exceptions():
    village_demo.seed()
    demo.seed()
    rows = annotate_branch_rules(PartyBranch.objects.filter(kind="village"), on=DAY)
    assert rows.count() == 234
    flagged = {row.name: row for row in rows.filter(rules_ok=False)}
    assert set(flagged) == {"炉城示例01社区党支部", "炉城示例13村党支部"}
    small = flagged["炉城示例01社区党支部"]
    assert (small.full_member_count, small.committee_ok) == (5, False)
    assert branch_rule_issues(small, on=DAY) == [
        "正式党员仅5名（不足7名），只设书记，但现设有组织委员、宣传委员、纪检委员。"
    ]
    # The other one lost a member to a transfer: 6 full members after 2026-09-01, 7 before.
    moved = flagged["炉城示例13村党支部"]
    assert moved.full_member_count == 6
    before = annotate_branch_rules(PartyBranch.objects.filter(pk=moved.pk), on=dt.date(2026, 8, 31)).get()
    assert (before.full_member_count, before.rules_ok) == (7, True)
    # Every branch has 7+ full members apart from those two.
    assert not rows.exclude(pk__in=[small.pk, moved.pk]).filter(full_member_count__lt=7).exists()


def test_the_demo_probationary_members_come_from_development_records():
    village_demo.seed()
    demo.seed()
    probationary = Membership.objects.filter(left_on__isnull=True, full_since__isnull=True)
    assert probationary.exists()
    assert not probationary.filter(development__isnull=True).exists()
    assert set(probationary.values_list("development__stage", flat=True)) == {DevelopmentStage.PROBATIONARY}
    confirmed = Development.objects.filter(stage=DevelopmentStage.FULL_MEMBER)
    for development in confirmed:
        membership = Membership.objects.get(person=development.person, left_on__isnull=True)
        assert membership.full_since == development.confirmed_on


def test_the_demo_duty_posts_go_to_members_without_an_office():
    village_demo.seed()
    demo.seed()
    duties = DutyAssignment.objects.filter(year=demo.DUTY_YEAR)
    assert duties.count() > 500
    holders = Post.objects.filter(
        end_date__isnull=True, committee__in=[Committee.BRANCH, Committee.VILLAGERS]
    ).values("person_id")
    assert not duties.filter(membership__person_id__in=holders).exists()
    assert set(duties.values_list("kind__name", flat=True)) == {
        "政策宣传岗",
        "环境监督岗",
        "矛盾调解岗",
        "民情收集岗",
    }
