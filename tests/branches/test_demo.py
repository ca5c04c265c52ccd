"""The demo branches (issue item 6): the article's 32 functional branches, seasonal ones active
May-July, a village-village branch across the demo users' two townships, a village-enterprise
branch with a valid enterprise, and a second run that adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from branches import demo as branches_demo
from branches import rules
from branches.creditcodes import is_valid_credit_code
from branches.models import Enterprise
from villages import demo as villages_demo
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db


def test_the_demo_branches():
    """One test, since seeding 234 villages takes a while: each part below is one claim."""
    villages_demo.seed()
    branches_demo.seed()
    _the_demo_has_32_functional_branches_of_three_kinds()
    _seasonal_demo_branches_are_active_from_may_to_july_only()
    _the_village_village_branch_crosses_the_demo_users_townships()
    _a_village_enterprise_branch_links_an_enterprise_with_a_valid_code()
    _every_demo_branch_has_members()
    _seeding_again_adds_nothing()


def _every_demo_branch_has_members():
    from cadres.selectors import branch_member_counts

    ids = list(PartyBranch.objects.exclude(kind="village").values_list("pk", flat=True))
    counts = branch_member_counts(ids)
    assert all(counts[pk] == (3, 0) for pk in ids)


def _the_demo_has_32_functional_branches_of_three_kinds():
    functional = PartyBranch.objects.filter(kind__in=["seasonal_mobile", "youth_talent", "migrant_worker"])
    assert functional.count() == 32
    assert {k for k in functional.values_list("kind", flat=True)} == {
        "seasonal_mobile",
        "youth_talent",
        "migrant_worker",
    }


def _seasonal_demo_branches_are_active_from_may_to_july_only():
    seasonal = list(PartyBranch.objects.filter(kind="seasonal_mobile"))
    assert len(seasonal) >= 10
    for branch in seasonal:
        months = [m for m in range(1, 13) if rules.active_on(branch, dt.date(2026, m, 15))]
        assert months == [5, 6, 7], branch.name


def _the_village_village_branch_crosses_the_demo_users_townships():
    branch = PartyBranch.objects.get(kind="joint_village_village")
    assert branch.township.code == "513301101000"  # 姑咱镇, the demo `township` user's
    linked = set(branch.village_links.values_list("village__township__code", flat=True))
    assert linked == {"513301101000", "513301102000"}  # and a village of 新都桥镇 (`township2`)


def _a_village_enterprise_branch_links_an_enterprise_with_a_valid_code():
    branch = PartyBranch.objects.filter(kind="joint_village_enterprise", township__code="513301101000").get()
    enterprise = branch.enterprise_links.get().enterprise
    assert is_valid_credit_code(enterprise.credit_code)
    assert branch.village_links.exists()


def _seeding_again_adds_nothing():
    from cadres.models import Membership

    before = (PartyBranch.objects.count(), Enterprise.objects.count(), Membership.objects.count())
    branches_demo.seed()
    assert (PartyBranch.objects.count(), Enterprise.objects.count(), Membership.objects.count()) == before
