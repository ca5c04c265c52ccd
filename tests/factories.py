"""factory-boy factories for every model. Other apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from governance.models import User
from governance.roles import Role
from villages.models import County, PartyBranch, Township, Village

TEST_PASSWORD = "correct horse battery staple"


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{519900 + n:06d}000000")
    name = factory.Sequence(lambda n: f"测试县{n}")
    valid_from = dt.date(2000, 1, 1)


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试乡{n}")
    kind = Township.Kind.TOWNSHIP
    valid_from = dt.date(2000, 1, 1)

    @factory.lazy_attribute_sequence
    def code(self, n):
        # 500-999: the fixtures' hand-written codes (101, 102, …) stay free whatever the sequence.
        return f"{self.county.code[:6]}{500 + n % 500:03d}000"


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village
        skip_postgeneration_save = True

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}村")
    kind = Village.Kind.VILLAGE
    valid_from = dt.date(2000, 1, 1)

    @factory.lazy_attribute_sequence
    def code(self, n):
        # 500-999: the fixtures' hand-written codes (…201, …202) stay free whatever the sequence.
        return f"{self.township.code[:9]}{500 + n % 500:03d}"

    @factory.post_generation
    def branch(obj, create, extracted, **kwargs):
        """Every village has its village party branch, as villages.services.village_create makes."""
        if create:
            PartyBranchFactory(village=obj, township=obj.township, **kwargs)


class PartyBranchFactory(DjangoModelFactory):
    class Meta:
        model = PartyBranch

    village = None
    township = factory.LazyAttribute(lambda o: o.village.township if o.village else TownshipFactory())
    name = factory.LazyAttribute(lambda o: f"{o.village.name}党支部" if o.village else "测试功能型党支部")
    kind = PartyBranch.Kind.VILLAGE


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.TOWNSHIP_STAFF
    township = factory.SubFactory(TownshipFactory)
    county = None
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CountyOfficialFactory(UserFactory):
    role = Role.COUNTY_OFFICIAL
    township = None
    county = factory.SubFactory(CountyFactory)


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
    township = None
    is_staff = True
    is_superuser = True


# ---------------------------------------------------------------- branches ([7/10])

# Published codes (business licences and the validators of public code bases, found with a code
# search); tests/branches/test_creditcodes.py works the first one out by hand. They are the
# validator's known-good inputs. Codes quoted alongside them whose check character is wrong (they circulate
# as "examples" too) are deliberately not here.
PUBLISHED_CREDIT_CODES = [
    "91350100M000100Y43",  # the example most validators quote
    "914403001922038216",
    "9144030071526726XG",
    "91440300708461136T",
    "91110108551385082Q",
    "51610700305332460K",  # a social organisation (5 = civil affairs registration)
    "112302070019030687",  # a government body (1 = organisation-code registration)
]


def credit_code_for(n: int) -> str:
    """A valid, plainly synthetic code (area 513301) numbered ``n``."""
    from branches.creditcodes import check_character

    first17 = f"91513301MA{n:07d}"
    return first17 + check_character(first17)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = "branches.Enterprise"

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(credit_code_for)
    township = factory.SubFactory(TownshipFactory)
