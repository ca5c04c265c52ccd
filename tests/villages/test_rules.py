"""The hierarchy's rules at their boundaries (DESIGN §2, §3): 12-digit division codes, validity dates
that never run backwards, and the 7-member threshold for a branch committee."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from villages.models import Village

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("513301101299", True),  # 12 digits
        ("51330110129", False),  # 11
        ("5133011012990", False),  # 13
        ("51330110129X", False),  # a letter
    ],
)
def test_a_division_code_is_exactly_12_digits(township, code, ok):
    village = Village(
        township=township, code=code, name="规则村", kind="village", valid_from=dt.date(2020, 1, 1)
    )
    if ok:
        village.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        village.full_clean()
    assert "区划代码应为12位数字。" in exc.value.message_dict["code"]


@pytest.mark.parametrize(
    ("valid_to", "ok"),
    [(dt.date(2020, 6, 30), True), (dt.date(2020, 6, 29), False), (dt.date(2020, 7, 1), True)],
)
def test_a_unit_cannot_end_before_it_began(township, valid_to, ok):
    fields = dict(
        township=township, code="513301101298", name="短命村", kind="village", valid_from=dt.date(2020, 6, 30)
    )
    if ok:
        Village.objects.create(valid_to=valid_to, **fields)
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Village.objects.create(valid_to=valid_to, **fields)


# The committee threshold (7 full members) is checked on derived member counts in cadres
# (tests/cadres/test_membership_rules.py); the branch row itself keeps its season and period rules.


def _branch(home, **fields):
    from villages.models import PartyBranch

    base = dict(township=home.township, name="测试功能型党支部", kind="youth_talent")
    return PartyBranch(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"season_start_month": 5, "season_end_month": 7}, True),
        ({"season_start_month": 7, "season_end_month": 7}, True),  # one month
        ({"season_start_month": 11, "season_end_month": 2, "season_crosses_year": True}, True),
        ({"season_start_month": 7, "season_end_month": 5}, False),  # ends before it starts
        ({"season_start_month": 5, "season_end_month": 7, "season_crosses_year": True}, False),
        ({"season_start_month": 5}, False),  # both or neither
        ({"season_end_month": 7}, False),
        ({"season_start_month": 0, "season_end_month": 7}, False),  # months 1-12
        ({"season_start_month": 5, "season_end_month": 13}, False),
        ({"season_crosses_year": True}, False),
        ({"kind": "seasonal_mobile"}, False),  # a seasonal branch has a season
        ({"kind": "seasonal_mobile", "season_start_month": 5, "season_end_month": 7}, True),
        ({"kind": "village", "village": None}, False),  # a village branch has a village
    ],
)
def test_the_database_holds_the_season_rules_of_a_branch(village, fields, ok):
    branch = _branch(village, **fields)
    if ok:
        branch.save()
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        branch.save()
