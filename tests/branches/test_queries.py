"""Query counts of the register's pages pinned at two data sizes (an N+1 fails at the larger)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches.models import BranchEnterprise, BranchVillage
from tests.factories import EnterpriseFactory, PartyBranchFactory, VillageFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
# Each bound is the count measured at 3 rows plus one (list: session, user, count, page, two
# prefetches of links, …); the same bound must hold at 30.
LIST = 9
EXPORT = 6
SUMMARY = 6
DETAIL = 11  # with every app's branch panel
CREATE_FORM = 7
EDIT_FORM = 10


def _populate(township, other_township, n):
    for i in range(n):
        village = VillageFactory(township=township)
        other = VillageFactory(township=other_township)
        joint = PartyBranchFactory(township=township, kind="joint_village_enterprise", name=f"联建{i}")
        BranchVillage.objects.create(branch=joint, village=village)
        BranchVillage.objects.create(branch=joint, village=other)
        BranchEnterprise.objects.create(branch=joint, enterprise=EnterpriseFactory(township=township))
        PartyBranchFactory(
            township=township, kind="seasonal_mobile", season_start_month=5, season_end_month=7
        )
    return joint


@pytest.mark.parametrize("n", SIZES)
def test_the_list_and_its_export_are_bounded(
    official_client, township, other_township, n, django_assert_max_num_queries
):
    _populate(township, other_township, n)
    with django_assert_max_num_queries(LIST):
        assert official_client.get("/branches/?page=1").status_code == 200
    with django_assert_max_num_queries(EXPORT):
        response = official_client.get("/branches/?export=csv")
        b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("n", SIZES)
def test_the_summary_is_bounded(official_client, township, other_township, n, django_assert_max_num_queries):
    _populate(township, other_township, n)
    with django_assert_max_num_queries(SUMMARY):
        assert official_client.get("/branches/summary/").status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_the_branch_page_is_bounded(staff_client, township, other_township, n, django_assert_max_num_queries):
    joint = _populate(township, other_township, n)
    for _ in range(n):  # a longer history
        joint.name = joint.name + "改"
        joint.save()
    with django_assert_max_num_queries(DETAIL):
        assert staff_client.get(reverse("branches:branch_detail", args=[joint.public_id])).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_the_forms_are_bounded(staff_client, township, other_township, n, django_assert_max_num_queries):
    joint = _populate(township, other_township, n)
    with django_assert_max_num_queries(CREATE_FORM):
        assert staff_client.get(reverse("branches:branch_create")).status_code == 200
    with django_assert_max_num_queries(EDIT_FORM):
        assert staff_client.get(reverse("branches:branch_edit", args=[joint.public_id])).status_code == 200
