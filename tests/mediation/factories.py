"""Factories of 人民调解 rows (written directly: the services' rules are tested on their own)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from cadres import idnumbers
from cadres.models import Person, Sex
from mediation.models import Category, Committee, Dispute, FollowUp, Member, Outcome
from tests.factories import AdminUserFactory, VillageFactory


class PersonFactory(DjangoModelFactory):
    """A person of the cadres roster (this app's own copy: its rows only, not the cadres rules)."""

    class Meta:
        model = Person
        exclude = ("id_number",)

    name = factory.Sequence(lambda n: f"调解人员{n}")
    sex = Sex.MALE
    birth_date = factory.Sequence(lambda n: dt.date(1970, 1, 1) + dt.timedelta(days=41 * (n % 300)))
    education = "senior"
    phone = factory.Sequence(lambda n: f"137{n % 100000000:08d}")
    home_village = factory.SubFactory(VillageFactory)

    @factory.lazy_attribute_sequence
    def id_number(self, n):
        return idnumbers.make_id_number(
            area="513301", birth_date=self.birth_date, sequence=(2 * n + 1) % 1000
        )

    @factory.lazy_attribute
    def id_number_encrypted(self):
        return idnumbers.encrypt(self.id_number)

    @factory.lazy_attribute
    def id_number_hash(self):
        return idnumbers.keyed_hash(self.id_number)

    @factory.lazy_attribute
    def id_number_masked(self):
        return idnumbers.mask(self.id_number)


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("village",)

    village = factory.SubFactory(VillageFactory)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory, home_village=factory.SelfAttribute("..committee.village"))
    start_date = dt.date(2022, 4, 1)


class DisputeFactory(DjangoModelFactory):
    """An open dispute; pass ``outcome`` with ``closed_on`` (and ``agreement_on``…) for a closed one."""

    class Meta:
        model = Dispute

    village = factory.SubFactory(VillageFactory)
    received_on = dt.date(2025, 5, 10)
    parties = "扎西示甲、卓玛示乙"
    category = Category.NEIGHBOURS
    summary = "排水沟堵塞导致邻户院坝积水。"
    mediator = factory.SubFactory(MemberFactory, committee__village=factory.SelfAttribute("...village"))
    outcome = Outcome.OPEN
    created_by = factory.SubFactory(AdminUserFactory)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    dispute = factory.SubFactory(DisputeFactory)
    visited_on = factory.SelfAttribute("dispute.received_on")
    note = "双方按协议履行。"
    recorded_by = factory.SubFactory(AdminUserFactory)
