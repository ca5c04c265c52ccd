import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cadres import idnumbers
from cadres.idnumbers import (
    ID_DATE_MISMATCH,
    ID_FUTURE_DATE,
    ID_IMPOSSIBLE_DATE,
    ID_SEX_MISMATCH_FEMALE,
    ID_SEX_MISMATCH_MALE,
    ID_WRONG_CHECK,
    ID_WRONG_SHAPE,
    check_char,
    make_id_number,
    mask,
    mask_phone,
    validate_id_number,
)

CHARS = "0123456789X"
areas = st.from_regex(r"\A[1-9][0-9]{5}\Z")
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def _message(exc: ValidationError) -> str:
    return exc.value.messages[0]


def test_the_standard_example_number_has_check_character_x():
    # GB 11643-1999's worked example: 11010519491231002X.
    assert check_char("11010519491231002") == "X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


@settings(max_examples=300)
@given(area=areas, birth=birth_dates, sequence=sequences)
def test_every_valid_number_is_accepted(area, birth, sequence):
    number = make_id_number(area=area, birth_date=birth, sequence=sequence)
    assert validate_id_number(number, birth_date=birth, male=sequence % 2 == 1) == number


@settings(max_examples=300)
@given(
    area=areas,
    birth=birth_dates,
    sequence=sequences,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(CHARS),
)
def test_every_single_character_change_is_rejected(area, birth, sequence, position, replacement):
    number = make_id_number(area=area, birth_date=birth, sequence=sequence)
    changed = number[:position] + replacement + number[position + 1 :]
    if changed == number:
        return
    with pytest.raises(ValidationError):
        validate_id_number(changed)


def test_a_wrong_check_character_says_so():
    number = make_id_number(area="513301", birth_date=dt.date(1990, 5, 17), sequence=123)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(wrong)
    assert _message(exc) == ID_WRONG_CHECK


def test_an_impossible_date_says_so():
    first17 = "51330119900230123"  # 30 February
    with pytest.raises(ValidationError) as exc:
        validate_id_number(first17 + check_char(first17))
    assert _message(exc) == ID_IMPOSSIBLE_DATE


def test_a_future_birth_date_says_so():
    birth = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(make_id_number(area="513301", birth_date=birth, sequence=1))
    assert _message(exc) == ID_FUTURE_DATE


def test_a_date_that_does_not_match_the_persons_names_both_dates():
    number = make_id_number(area="513301", birth_date=dt.date(1990, 5, 17), sequence=123)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, birth_date=dt.date(1990, 5, 18))
    assert _message(exc) == ID_DATE_MISMATCH % {"in_number": "1990-05-17", "given": "1990-05-18"}


@pytest.mark.parametrize("value", ["", "51330119900517123", "5133011990051712345", "51330119900517123Y"])
def test_a_number_of_the_wrong_shape_says_so(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert _message(exc) == ID_WRONG_SHAPE


def test_masks_show_area_and_last_four_only():
    assert mask("51330119900517123X") == "513301********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_encryption_round_trips_and_the_hash_is_keyed_and_stable():
    number = "51330119900517123X"
    token = idnumbers.encrypt(number)
    assert number not in token
    assert idnumbers.decrypt(token) == number
    assert idnumbers.keyed_hash(number) == idnumbers.keyed_hash(number.lower())
    assert number not in idnumbers.keyed_hash(number)


def test_digits_of_other_scripts_are_not_digits():
    number = make_id_number(area="513301", birth_date=dt.date(1990, 5, 17), sequence=123)
    with pytest.raises(ValidationError):
        validate_id_number(number[:4] + "\u0660" + number[5:])


@pytest.mark.parametrize(
    ("sequence", "male", "message"), [(123, False, ID_SEX_MISMATCH_MALE), (124, True, ID_SEX_MISMATCH_FEMALE)]
)
def test_the_17th_digit_must_match_the_persons_sex(sequence, male, message):
    number = make_id_number(area="513301", birth_date=dt.date(1990, 5, 17), sequence=sequence)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, male=male)
    assert _message(exc) == message
    assert validate_id_number(number, male=not male) == number
