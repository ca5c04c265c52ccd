"""3512 reserve cadres: the four selection steps in order, the mentor rule, outcomes, quota statuses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import services
from cadres.models import ReserveCadre, ReserveOutcome, ReserveQuota, ReserveStage
from cadres.selectors import ComplianceStatus, compliance_for, compliance_totals
from tests.cadres.factories import PersonFactory, PostFactory, ReserveCadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserve(village):
    return services.reserve_recommend(
        village=village,
        plan_year=2026,
        person=PersonFactory(home_village=village),
        recommended_on=dt.date(2026, 3, 1),
    )


@pytest.fixture
def decided(reserve):
    services.reserve_review(reserve=reserve, on=dt.date(2026, 3, 10))
    return services.reserve_decide(reserve=reserve, on=dt.date(2026, 3, 20))


def test_the_four_steps_run_in_order(reserve, secretary_post):
    services.reserve_review(reserve=reserve, on=dt.date(2026, 3, 1))
    services.reserve_decide(reserve=reserve, on=dt.date(2026, 4, 1))
    services.reserve_pair(reserve=reserve, on=dt.date(2026, 4, 2), mentor=secretary_post.person)
    reserve.refresh_from_db()
    assert reserve.stage == ReserveStage.PAIRED
    assert reserve.mentor == secretary_post.person
    assert reserve.history.count() == 4


def test_a_step_cannot_be_skipped(reserve):
    with pytest.raises(ValidationError) as exc:
        services.reserve_decide(reserve=reserve, on=dt.date(2026, 4, 1))
    assert exc.value.messages == [services.RESERVE_WRONG_STAGE % {"current": "党群荐", "next": "两委审"}]
    reserve.refresh_from_db()
    assert reserve.stage == ReserveStage.RECOMMENDED


def test_a_step_cannot_be_dated_before_the_previous_one(reserve):
    with pytest.raises(ValidationError) as exc:
        services.reserve_review(reserve=reserve, on=dt.date(2026, 2, 28))
    assert exc.value.messages == [services.RESERVE_DATE_BACKWARDS % {"previous": "2026-03-01"}]


def test_the_mentor_must_hold_a_post_on_the_pairing_day(decided, village):
    post = PostFactory(village=village, start_date=dt.date(2021, 1, 1), end_date=dt.date(2026, 3, 31))
    with pytest.raises(ValidationError) as exc:
        services.reserve_pair(reserve=decided, on=dt.date(2026, 4, 1), mentor=post.person)
    assert exc.value.messages == [services.RESERVE_MENTOR_NO_POST]
    decided.refresh_from_db()
    assert decided.stage == ReserveStage.DECIDED and decided.mentor is None
    services.reserve_pair(reserve=decided, on=dt.date(2026, 3, 31), mentor=post.person)


def test_appointment_needs_the_four_steps_and_the_persons_own_post(decided, secretary_post, village):
    own = PostFactory(village=village, person=decided.person, committee="villagers", position="member")
    with pytest.raises(ValidationError) as exc:
        services.reserve_appoint(reserve=decided, post=own)
    assert exc.value.messages == [services.RESERVE_APPOINT_NOT_PAIRED]
    services.reserve_pair(reserve=decided, on=dt.date(2026, 4, 1), mentor=secretary_post.person)
    with pytest.raises(ValidationError):
        services.reserve_appoint(reserve=decided, post=secretary_post)
    services.reserve_appoint(reserve=decided, post=own)
    assert ReserveCadre.objects.get().outcome == ReserveOutcome.APPOINTED


def test_withdrawal_needs_a_reason_and_closes_the_record(reserve):
    with pytest.raises(ValidationError):
        services.reserve_withdraw(reserve=reserve, reason="  ")
    services.reserve_withdraw(reserve=reserve, reason="外出务工")
    with pytest.raises(ValidationError) as exc:
        services.reserve_review(reserve=reserve, on=dt.date(2026, 4, 1))
    assert exc.value.messages == [services.RESERVE_CLOSED % {"outcome": "已退出"}]


def test_a_person_is_on_a_village_bench_once_a_year(reserve):
    with pytest.raises(ValidationError):
        services.reserve_recommend(
            village=reserve.village, plan_year=2026, person=reserve.person, recommended_on=dt.date(2026, 5, 1)
        )


def _bench(village, count, background, year=2026):
    for k in range(count):
        tags = {"is_returning_migrant": True} if k < background else {}
        ReserveCadreFactory(
            village=village, plan_year=year, person=PersonFactory(home_village=village, **tags)
        )


def _status(official, village):
    return compliance_for(official, year=2026, quota=ReserveQuota.current()).get(pk=village.pk).status


@pytest.mark.parametrize(
    ("count", "background", "status"),
    [
        (2, 1, ComplianceStatus.TOO_FEW),
        (3, 1, ComplianceStatus.MET),
        (5, 2, ComplianceStatus.MET),
        (6, 1, ComplianceStatus.TOO_MANY),
        (4, 0, ComplianceStatus.BACKGROUND_MISSED),
        (4, 1, ComplianceStatus.MET),
        (4, 2, ComplianceStatus.MET),
        (4, 3, ComplianceStatus.BACKGROUND_MISSED),
    ],
)
def test_quota_status_at_its_boundaries(official, village, count, background, status):
    _bench(village, count, background)
    assert _status(official, village) == status


def test_withdrawn_and_other_years_do_not_count(official, village):
    _bench(village, 3, 1)
    _bench(village, 3, 1, year=2025)
    reserve = ReserveCadre.objects.filter(plan_year=2026).first()
    services.reserve_withdraw(reserve=reserve, reason="迁出")
    assert _status(official, village) == ComplianceStatus.TOO_FEW


def test_wealth_experts_count_toward_the_background_quota(official, village):
    for _k in range(3):
        ReserveCadreFactory(village=village, person=PersonFactory(home_village=village))
    ReserveCadreFactory(village=village, person=PersonFactory(home_village=village, is_wealth_expert=True))
    assert _status(official, village) == ComplianceStatus.MET


def test_the_quota_is_data_an_admin_can_change(official, village):
    _bench(village, 3, 1)
    quota = ReserveQuota.current()
    quota.min_count = 4
    quota.save()
    assert _status(official, village) == ComplianceStatus.TOO_FEW


def test_totals_roll_up_by_township_and_county(official, village, other_village, township):
    _bench(village, 3, 1)
    _bench(other_village, 6, 2)
    quota = ReserveQuota.current()
    villages = compliance_for(official, year=2026, quota=quota)
    townships, total = compliance_totals(villages, year=2026, quota=quota)
    assert [(t["township__name"], t["met"], t["too_many"]) for t in townships] == [
        ("姑咱镇", 1, 0),
        ("新都桥镇", 0, 1),
    ]
    assert total["villages"] == 2 and total["reserves"] == 9 and total["backgrounds"] == 3


def test_totals_judge_each_village_as_its_row_does(official, township, village, other_village):
    """The roll-up (one grouped pass, in SQL) and the per-village statuses of the list agree, under
    the county's own quota for the year (no forced quota)."""
    from tests.factories import VillageFactory

    ReserveQuota.objects.create(
        county=township.county,
        effective_from=dt.date(2026, 1, 1),
        min_count=2,
        max_count=4,
        min_background=1,
        max_background=1,
    )
    benches = [(1, 1), (2, 1), (4, 2), (5, 1), (3, 0), (0, 0)]
    places = [village, other_village] + [VillageFactory(township=township) for _ in range(4)]
    for place, (count, background) in zip(places, benches, strict=True):
        _bench(place, count, background)
    # Withdrawn reserves and other years do not count.
    ReserveCadreFactory(village=village, plan_year=2025)
    listed = compliance_for(official, year=2026)
    expected = {status: 0 for status, _label in ComplianceStatus.CHOICES}
    for row in listed:
        expected[row.status] += 1
    _townships, total = compliance_totals(listed, year=2026)
    # By hand under 2-4 with exactly 1 background: too few (1,1); met (2,1); background (4,2);
    # too many (5,1); background (3,0); too few (0,0).
    assert expected == {"met": 1, "too_few": 2, "too_many": 1, "background_missed": 2}
    assert {status: total[status] for status in expected} == expected
    assert total["villages"] == 6 and total["reserves"] == 15


def test_the_reserve_tally_follows_every_write(village, other_village):
    """cadres 0009: the counts the 3512 roll-ups read are kept by the database with each write
    (added, withdrawn, moved, a person's background changed) and equal a recount."""
    import importlib

    from django.db import connection

    from cadres.models import Person, ReserveTally

    _bench(village, 3, 1)
    moved = ReserveCadreFactory(village=village, plan_year=2026, person=PersonFactory(home_village=village))
    ReserveCadre.objects.filter(pk=moved.pk).update(village=other_village)
    gone = ReserveCadre.objects.filter(village=village).first()
    ReserveCadre.objects.filter(pk=gone.pk).update(
        outcome=ReserveOutcome.WITHDRAWN, withdrawal_reason="外出务工"
    )
    Person.objects.filter(pk=moved.person_id).update(is_wealth_expert=True)

    def tally():
        return {(t.village_id, t.plan_year): (t.reserves, t.backgrounds) for t in ReserveTally.objects.all()}

    withdrawn_background = 1 if gone.person.is_returning_migrant else 0
    assert tally() == {(village.pk, 2026): (2, 1 - withdrawn_background), (other_village.pk, 2026): (1, 1)}
    before = tally()
    ReserveTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(importlib.import_module("cadres.migrations.0009_reserve_tally").RECOUNT)
    assert tally() == before
