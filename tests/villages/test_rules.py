"""The hierarchy's rules at their boundaries (DESIGN §2, §3): 12-digit division codes, validity dates
that never run backwards, and the 7-member threshold for a branch committee."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

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


@pytest.mark.parametrize(("members", "committee"), [(6, False), (7, True), (8, True)])
def test_a_branch_of_seven_or_more_full_members_has_a_committee(staff_client, village, members, committee):
    branch = village.branches.get()
    branch.full_members = members
    branch.save()
    assert branch.has_committee is committee, f"{members} full members: committee only from 7 (DESIGN §3)"
    body = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    assert ("支部委员会（3-5人）" in body) is committee
    assert ("只设书记" in body) is not committee
