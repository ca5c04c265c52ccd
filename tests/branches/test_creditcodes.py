"""Unified social credit codes (GB 32100-2015): published codes pass, every one-character change of
one is refused, and the form says why."""

from __future__ import annotations

import pytest

from branches.creditcodes import (
    CHARSET,
    WRONG_AREA,
    WRONG_CHARACTER,
    WRONG_CHECK,
    WRONG_LENGTH,
    check_character,
    is_valid_credit_code,
    validate_credit_code,
)
from branches.forms import EnterpriseForm
from tests.factories import PUBLISHED_CREDIT_CODES


def test_the_first_published_code_is_worked_out_by_hand():
    # 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 with M = 21 and Y = 30 in the 31-character set, weights
    # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
    assert CHARSET.index("M") == 21 and CHARSET.index("Y") == 30
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES)
def test_published_codes_are_valid(code):
    validate_credit_code(code)


@pytest.mark.parametrize("code", PUBLISHED_CREDIT_CODES[:2])
def test_every_one_character_change_of_a_valid_code_is_refused(code):
    accepted = []
    for position in range(18):
        for char in CHARSET + "IOZSV":
            if char == code[position]:
                continue
            changed = code[:position] + char + code[position + 1 :]
            if is_valid_credit_code(changed):
                accepted.append(changed)
    assert accepted == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", WRONG_LENGTH),
        ("91350100M000100Y433", WRONG_LENGTH),
        ("91350100M000100Y4I", WRONG_CHARACTER),  # I, O, Z, S, V are not used
        ("91350100m000100Y43", WRONG_CHARACTER),  # stored upper-case: the form upper-cases first
        ("913501A0M000100Y4" + check_character("913501A0M000100Y4"), WRONG_AREA),
        ("91350100M000100Y44", WRONG_CHECK),
    ],
)
def test_each_mistake_has_its_own_message(code, message):
    with pytest.raises(Exception) as caught:
        validate_credit_code(code)
    assert caught.value.messages == [str(message)]


def test_the_form_takes_spaces_and_lower_case_as_typed():
    form = EnterpriseForm({"name": "测试企业", "credit_code": " 91350100m000 100y43 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_code"] == "91350100M000100Y43"


def test_the_form_refuses_a_changed_code_with_the_message():
    form = EnterpriseForm({"name": "测试企业", "credit_code": "91350100M000100Y42"})
    assert not form.is_valid()
    assert form.errors["credit_code"] == [str(WRONG_CHECK)]
