"""GB 11643-1999 resident ID numbers: check character, dates, sex digit, masking and storage.

Expected values here never come from ``cadres.idnumbers``: the valid numbers below were computed by
hand (one is worked through in full) and the property tests use an independent formulation of the
same standard (ISO 7064 MOD 11-2, weights 2^(17-i) mod 11), so a wrong table or weight in the code
cannot also produce the answer it is checked against.
"""

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
    mask,
    mask_phone,
    validate_id_number,
)

CHARS = "0123456789X"
areas = st.from_regex(r"\A[1-9][0-9]{5}\Z")
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))
sequences = st.integers(min_value=0, max_value=999)

# One valid number for each check character, all born 1990-05-17 in Kangding (513301), computed by
# hand from DESIGN §4: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2.
# The first 14 digits 51330119900517 always weigh
#   5·7 + 1·9 + 3·10 + 3·5 + 0·8 + 1·4 + 1·2 + 9·1 + 9·6 + 0·3 + 0·7 + 5·9 + 1·10 + 7·5
#   = 35 + 9 + 30 + 15 + 0 + 4 + 2 + 9 + 54 + 0 + 0 + 45 + 10 + 35 = 248,
# and the sequence digits weigh 8, 4, 2. Worked example, sequence 109:
#   248 + 1·8 + 0·4 + 9·2 = 274 = 24·11 + 10, remainder 10 → check character "2": 513301199005171092.
# (sum mod 11, check character, number, male: the 17th digit is odd)
VALID = [
    (1, "0", "513301199005171180", False),  # 248 + 8 + 4 + 16 = 276 = 25·11 + 1
    (0, "1", "513301199005171041", False),  # 248 + 8 + 0 + 8 = 264 = 24·11 + 0
    (10, "2", "513301199005171092", True),  # 274, worked above
    (9, "3", "513301199005171033", True),  # 248 + 8 + 0 + 6 = 262 = 23·11 + 9
    (8, "4", "513301199005171084", False),  # 248 + 8 + 0 + 16 = 272 = 24·11 + 8
    (7, "5", "513301199005171025", False),  # 248 + 8 + 0 + 4 = 260 = 23·11 + 7
    (6, "6", "513301199005171076", True),  # 248 + 8 + 0 + 14 = 270 = 24·11 + 6
    (5, "7", "513301199005171017", True),  # 248 + 8 + 0 + 2 = 258 = 23·11 + 5
    (4, "8", "513301199005171068", False),  # 248 + 8 + 0 + 12 = 268 = 24·11 + 4
    (3, "9", "513301199005171009", False),  # 248 + 8 + 0 + 0 = 256 = 23·11 + 3
    (2, "X", "51330119900517105X", True),  # 248 + 8 + 0 + 10 = 266 = 24·11 + 2
]
BIRTH = dt.date(1990, 5, 17)

# Each valid number above with one digit changed (area or sequence, so the date stays real): the
# weighted sum moves by digit-change × weight, never a multiple of 11, so the check must fail.
ONE_DIGIT_OFF = [
    ("513301199005171180", "523301199005171180"),  # 2nd digit
    ("513301199005171041", "514301199005171041"),  # 3rd
    ("513301199005171092", "513401199005171092"),  # 4th
    ("513301199005171033", "513311199005171033"),  # 5th
    ("513301199005171084", "513302199005171084"),  # 6th
    ("513301199005171025", "513301199005172025"),  # 15th
    ("513301199005171076", "513301199005171176"),  # 16th
    ("513301199005171017", "513301199005171037"),  # 17th (still odd: still male)
    ("513301199005171068", "523301199005171068"),  # 2nd
    ("513301199005171009", "513301199005171109"),  # 16th
    ("51330119900517105X", "51330119900517107X"),  # 17th
]


def iso7064_check(first17: str) -> str:
    """Independent oracle: ISO 7064 MOD 11-2, the scheme GB 11643 adopts. Weight of digit i (1-based)
    is 2^(18-i) mod 11; the check value c makes (sum + c) ≡ 1 (mod 11); 10 is written X."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def oracle_number(area: str, birth: dt.date, sequence: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + iso7064_check(first17)


def _message(exc) -> str:
    return exc.value.messages[0]


def test_the_oracle_agrees_with_the_hand_computed_numbers():
    # Guards the oracle itself: it must reproduce every hand-computed number and the standard's example.
    for _remainder, char, number, _male in VALID:
        assert iso7064_check(number[:17]) == char == number[17]
    assert iso7064_check("11010519491231002") == "X"


@pytest.mark.parametrize(("remainder", "char", "number", "male"), VALID, ids=[f"check-{v[1]}" for v in VALID])
def test_a_hand_computed_number_with_each_check_character_is_accepted(remainder, char, number, male):
    rule = f"GB 11643-1999: weighted sum ≡ {remainder} (mod 11) maps to check character {char}"
    assert check_char(number[:17]) == char, rule
    try:
        accepted = validate_id_number(number, birth_date=BIRTH, male=male)
    except ValidationError as exc:
        pytest.fail(f"{number} refused ({exc.messages[0]}); {rule}")
    assert accepted == number, rule


@pytest.mark.parametrize(("valid", "changed"), ONE_DIGIT_OFF, ids=[v[1][17] for v in ONE_DIGIT_OFF])
def test_a_number_one_digit_off_a_valid_one_fails_its_check(valid, changed):
    assert sum(a != b for a, b in zip(valid, changed, strict=True)) == 1
    with pytest.raises(ValidationError) as exc:
        validate_id_number(changed)
    assert _message(exc) == ID_WRONG_CHECK, f"GB 11643-1999: {changed} differs from {valid} in one digit"


def test_the_standard_example_number_has_check_character_x():
    # GB 11643-1999's worked example: 11010519491231002X (a woman: 17th digit 2 is even).
    assert check_char("11010519491231002") == "X"
    assert validate_id_number("11010519491231002x", birth_date=dt.date(1949, 12, 31), male=False) == (
        "11010519491231002X"
    )


def test_a_lower_case_x_and_spaces_are_normalised():
    assert validate_id_number(" 51330119900517105x ") == "51330119900517105X"


@settings(max_examples=300)
@given(area=areas, birth=birth_dates, sequence=sequences)
def test_every_valid_number_is_accepted(area, birth, sequence):
    number = oracle_number(area, birth, sequence)
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
    number = oracle_number(area, birth, sequence)
    changed = number[:position] + replacement + number[position + 1 :]
    if changed == number:
        return
    with pytest.raises(ValidationError):
        validate_id_number(changed)


def test_a_wrong_check_character_says_so():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("513301199005171090")  # valid ends in 2
    assert _message(exc) == ID_WRONG_CHECK


def test_an_impossible_date_says_so():
    # 30 February; 51330119900230123 weighs 228 ≡ 8 (mod 11) → "4", so only the date is wrong.
    with pytest.raises(ValidationError) as exc:
        validate_id_number("513301199002301234")
    assert _message(exc) == ID_IMPOSSIBLE_DATE


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("51330118991231123X", ID_IMPOSSIBLE_DATE),  # 1899-12-31: before the first possible year
        ("513301190001011234", None),  # 1900-01-01: 140 ≡ 8 (mod 11) → "4"
    ],
)
def test_birth_dates_start_in_1900(number, error):
    if error is None:
        assert validate_id_number(number) == number
        return
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert _message(exc) == error


def test_a_birth_date_of_today_is_accepted_and_tomorrow_is_in_the_future():
    today = dt.date.today()
    assert validate_id_number(oracle_number("513301", today, 1))
    with pytest.raises(ValidationError) as exc:
        validate_id_number(oracle_number("513301", today + dt.timedelta(days=1), 1))
    assert _message(exc) == ID_FUTURE_DATE


def test_a_date_that_does_not_match_the_persons_names_both_dates():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("513301199005171092", birth_date=dt.date(1990, 5, 18))
    assert _message(exc) == ID_DATE_MISMATCH % {"in_number": "1990-05-17", "given": "1990-05-18"}


@pytest.mark.parametrize("value", ["", "51330119900517123", "5133011990051712345", "51330119900517123Y"])
def test_a_number_of_the_wrong_shape_says_so(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert _message(exc) == ID_WRONG_SHAPE


def test_masks_show_area_and_last_four_only():
    assert mask("51330119900517105X") == "513301********105X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0836-2812345") == "********2345"
    assert mask_phone("") == ""


def test_encryption_round_trips_and_the_hash_is_keyed_and_stable():
    number = "51330119900517105X"
    token = idnumbers.encrypt(number)
    assert number not in token
    assert idnumbers.decrypt(token) == number
    assert idnumbers.keyed_hash(number) == idnumbers.keyed_hash(number.lower())
    assert number not in idnumbers.keyed_hash(number)


def test_digits_of_other_scripts_are_not_digits():
    with pytest.raises(ValidationError):
        validate_id_number("5133\u066019900517105X")


@pytest.mark.parametrize(
    ("number", "male", "message"),
    [
        ("513301199005171092", False, ID_SEX_MISMATCH_MALE),  # 17th digit 9: odd, a man
        ("513301199005171084", True, ID_SEX_MISMATCH_FEMALE),  # 17th digit 8: even, a woman
    ],
)
def test_the_17th_digit_must_match_the_persons_sex(number, male, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, male=male)
    assert _message(exc) == message
    assert validate_id_number(number, male=not male) == number
