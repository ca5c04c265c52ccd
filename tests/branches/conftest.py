"""Fixtures of the branch register: a third township of the same county, and a joint branch owned
by ``township`` that links a village of ``other_township``."""

from __future__ import annotations

import pytest
from django.test import Client

from branches.models import BranchVillage
from tests.factories import PartyBranchFactory, TownshipFactory, UserFactory, VillageFactory


@pytest.fixture
def third_township(county):
    return TownshipFactory(county=county, code="513301103000", name="塔公镇", kind="town")


@pytest.fixture
def third_client(third_township):
    client = Client()
    client.force_login(UserFactory(username="third", township=third_township))
    return client


@pytest.fixture
def joint_branch(township, village, other_village):
    """村村联建 owned by ``township`` (姑咱镇), linking its village and one of 新都桥镇's."""
    branch = PartyBranchFactory(township=township, name="姑咱—新都桥联建党支部", kind="joint_village_village")
    BranchVillage.objects.create(branch=branch, village=village)
    BranchVillage.objects.create(branch=branch, village=other_village)
    return branch


@pytest.fixture
def second_village(township):
    return VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
