import pytest

from tests.mediation.factories import MemberFactory


@pytest.fixture
def chair(village):
    """The chair of ``village``'s committee (a person of the village)."""
    return MemberFactory(committee__village=village, is_chair=True)


@pytest.fixture
def member(village, chair):
    """A second member of ``village``'s committee."""
    return MemberFactory(committee=chair.committee)


@pytest.fixture
def other_county_village(db):
    from tests.factories import CountyFactory, TownshipFactory, VillageFactory

    other = CountyFactory(code="513302000000", name="另一县")
    township = TownshipFactory(county=other, code="513302101000", name="另一县某镇")
    return VillageFactory(township=township, code="513302101201", name="另一县示例村")
