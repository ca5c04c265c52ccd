"""3512 quotas per county with effective dates (issue item 5): a plan year is judged by the quota in
force for the village's county on its 1 January, so a change from next year leaves this year alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cadres import services
from cadres.models import ReserveQuota
from cadres.selectors import ComplianceStatus, compliance_for
from tests.cadres.factories import PersonFactory, ReserveCadreFactory
from tests.factories import CountyFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _bench(village, count, year):
    for k in range(count):
        tags = {"is_returning_migrant": True} if k == 0 else {}
        ReserveCadreFactory(
            village=village,
            plan_year=year,
            recommended_on=dt.date(year, 3, 1),
            person=PersonFactory(home_village=village, **tags),
        )


def _status(user, village, year):
    return compliance_for(user, year=year).get(pk=village.pk).status


@pytest.fixture
def village_b(db):
    county = CountyFactory(code="513322000000", name="泸定县")
    township = TownshipFactory(county=county, code="513322100000", name="泸桥镇")
    return VillageFactory(township=township, code="513322100201", name="泸桥示例01村")


def test_a_quota_change_from_next_year_leaves_this_years_compliance(village, official):
    _bench(village, 2, THIS_YEAR)
    _bench(village, 2, THIS_YEAR + 1)
    assert _status(official, village, THIS_YEAR) == ComplianceStatus.TOO_FEW  # DESIGN: at least 3
    services.quota_schedule(
        user=official,
        county=official.county,
        effective_from=dt.date(THIS_YEAR + 1, 1, 1),
        min_count=2,
        max_count=5,
        min_background=1,
        max_background=2,
    )
    assert _status(official, village, THIS_YEAR) == ComplianceStatus.TOO_FEW
    assert _status(official, village, THIS_YEAR + 1) == ComplianceStatus.MET


def test_a_change_during_the_year_applies_from_the_next_year(village, official):
    _bench(village, 2, THIS_YEAR)
    services.quota_schedule(
        user=official,
        county=official.county,
        effective_from=timezone.localdate(),
        min_count=2,
        max_count=5,
        min_background=1,
        max_background=2,
    )
    assert _status(official, village, THIS_YEAR) == ComplianceStatus.TOO_FEW
    assert ReserveQuota.for_year(official.county, THIS_YEAR + 1).min_count == 2


def test_two_counties_judge_the_same_bench_by_their_own_quota(
    village, village_b, admin_user, django_assert_num_queries
):
    ReserveQuota.objects.create(
        county=village_b.township.county, effective_from=dt.date(2020, 1, 1), min_count=2
    )
    _bench(village, 2, THIS_YEAR)
    _bench(village_b, 2, THIS_YEAR)
    # Two queries whatever the number of villages: the counties' quotas, then the villages.
    with django_assert_num_queries(2):
        rows = {v.pk: v.status for v in compliance_for(admin_user, year=THIS_YEAR)}
    assert rows[village.pk] == ComplianceStatus.TOO_FEW
    assert rows[village_b.pk] == ComplianceStatus.MET


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"min_count": 6, "max_count": 5}, "__all__"),  # min above max
        ({"min_background": 3, "max_background": 2}, "__all__"),
        ({"min_count": -1}, "min_count"),  # negative
    ],
)
def test_bad_quotas_are_refused_and_nothing_saved(official, values, field):
    quota = {"min_count": 3, "max_count": 5, "min_background": 1, "max_background": 2, **values}
    with pytest.raises(ValidationError) as caught:
        services.quota_schedule(
            user=official, county=official.county, effective_from=timezone.localdate(), **quota
        )
    assert field in caught.value.message_dict
    assert not ReserveQuota.objects.filter(county__isnull=False).exists()


def test_a_county_official_sets_only_their_county(official, village_b):
    with pytest.raises(PermissionDenied):
        services.quota_schedule(
            user=official, county=village_b.township.county, effective_from=timezone.localdate(), min_count=2
        )
    with pytest.raises(PermissionDenied):
        services.quota_schedule(user=official, county=None, effective_from=timezone.localdate(), min_count=2)
