"""Shared fixtures: one county with two townships, and one user of each role plus an outsider.

``village`` belongs to ``township``; ``other_village`` to ``other_township`` (same county). The
``outsider`` is a township user of ``other_township``: for them ``village`` must answer 404.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    AdminUserFactory,
    CountyFactory,
    CountyOfficialFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)


@pytest.fixture
def county(db):
    return CountyFactory(code="513301000000", name="康定市")


@pytest.fixture
def township(county):
    return TownshipFactory(county=county, code="513301101000", name="姑咱镇", kind="town")


@pytest.fixture
def other_township(county):
    return TownshipFactory(county=county, code="513301102000", name="新都桥镇", kind="town")


@pytest.fixture
def village(township):
    return VillageFactory(township=township, code="513301101201", name="姑咱示例01村")


@pytest.fixture
def other_village(other_township):
    return VillageFactory(township=other_township, code="513301102201", name="新都桥示例01村")


@pytest.fixture
def staff(township):
    """Township staff of ``township``: may read and write its records."""
    return UserFactory(username="staff", township=township)


@pytest.fixture
def outsider(other_township):
    """Township staff of another township: must see ``village`` as not found."""
    return UserFactory(username="outsider", township=other_township)


@pytest.fixture
def official(county):
    """County official: reads the whole county, may not enter township records."""
    return CountyOfficialFactory(username="official", county=county)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory(username="root")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def official_client(official):
    return _client_for(official)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)
