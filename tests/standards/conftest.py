import pytest

from tests.factories import CountyFactory, CountyOfficialFactory, TownshipFactory, UserFactory, VillageFactory


@pytest.fixture
def branch(village):
    """``village``'s village party branch (in ``township``, ``staff``'s township)."""
    return village.branches.get()


@pytest.fixture
def other_county():
    return CountyFactory(code="513302000000", name="另一县")


@pytest.fixture
def other_official(other_county):
    """A county official of another county: must see this county's records as not found."""
    return CountyOfficialFactory(username="other_official", county=other_county)


@pytest.fixture
def other_county_village(other_county):
    township = TownshipFactory(county=other_county, code="513302101000", name="另一县某镇")
    return VillageFactory(township=township, code="513302101201", name="另一县示例村")


@pytest.fixture
def other_staff(other_township):
    return UserFactory(username="other_staff", township=other_township)
