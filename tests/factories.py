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
        return f"{self.county.code[:6]}{n % 1000:03d}000"


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
        return f"{self.township.code[:9]}{n % 1000:03d}"

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
    full_members = 9


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
