"""Resident ID numbers (居民身份证号码, GB 11643-1999): validation, storage and masking (DESIGN §4).

The number is personal information the PIPL treats as sensitive. It is stored twice, neither time in
clear: Fernet-encrypted (to reveal it to a permitted user, logged) and as an HMAC-SHA256 keyed hash
(for uniqueness and exact-match search). A masked form (``513301********123X``) is kept in clear for
lists and exports; it shows nothing beyond the area code and the last four characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"\A[0-9]{17}[0-9X]\Z")

ID_WRONG_SHAPE = gettext_lazy("身份证号码应为18位：前17位是数字，最后一位是数字或X。")
ID_WRONG_CHECK = gettext_lazy("身份证号码的校验码（第18位）不正确，请核对。")
ID_IMPOSSIBLE_DATE = gettext_lazy("身份证号码中的出生日期（第7-14位）不是一个真实的日期。")
ID_FUTURE_DATE = gettext_lazy("身份证号码中的出生日期（第7-14位）晚于今天。")
ID_DATE_MISMATCH = gettext_lazy(
    "身份证号码中的出生日期（%(in_number)s）与填写的出生日期（%(given)s）不一致。"
)
ID_SEX_MISMATCH_MALE = gettext_lazy("身份证号码第17位是奇数，表示男性，与填写的性别“女”不一致。")
ID_SEX_MISMATCH_FEMALE = gettext_lazy("身份证号码第17位是偶数，表示女性，与填写的性别“男”不一致。")


def normalize(value: str) -> str:
    """Strip spaces and upper-case a trailing x, as people type it."""
    return (value or "").strip().replace(" ", "").upper()


def check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def birth_date_of(number: str) -> dt.date | None:
    """The birth date encoded in characters 7-14, or None when it is not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, *, birth_date: dt.date | None = None, male: bool | None = None) -> str:
    """The normalized number, or a ValidationError saying exactly what is wrong with it. With
    ``birth_date`` and ``male`` given, the number must also encode that birth date and sex."""
    number = normalize(value)
    if not _SHAPE.match(number):
        raise ValidationError(ID_WRONG_SHAPE, code="shape")
    encoded = birth_date_of(number)
    if encoded is None or encoded.year < 1900:
        raise ValidationError(ID_IMPOSSIBLE_DATE, code="date")
    if encoded > dt.date.today():
        raise ValidationError(ID_FUTURE_DATE, code="future")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(ID_WRONG_CHECK, code="check")
    if birth_date is not None and encoded != birth_date:
        raise ValidationError(
            ID_DATE_MISMATCH,
            code="mismatch",
            params={"in_number": encoded.isoformat(), "given": birth_date.isoformat()},
        )
    encodes_male = int(number[16]) % 2 == 1
    if male is not None and encodes_male != male:
        raise ValidationError(ID_SEX_MISMATCH_MALE if encodes_male else ID_SEX_MISMATCH_FEMALE, code="sex")
    return number


def make_id_number(*, area: str, birth_date: dt.date, sequence: int) -> str:
    """A checksum-valid number (synthetic data: demo and tests). Odd sequence = male."""
    first17 = f"{area}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_char(first17)


def mask(number: str) -> str:
    """``513301********123X``: area code and last four only."""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"


def mask_phone(phone: str) -> str:
    """``138****5678`` for an 11-digit mobile; other lengths keep only their last four."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[7:]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def _fernet() -> Fernet:
    return Fernet(settings.ID_NUMBER_ENCRYPTION_KEY)


def encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def keyed_hash(number: str) -> str:
    """HMAC-SHA256 with a key from settings: equal numbers hash equally, a dump cannot be brute-forced
    over the small space of plausible numbers without the key."""
    return hmac.new(
        settings.ID_NUMBER_HASH_KEY.encode(), normalize(number).encode(), hashlib.sha256
    ).hexdigest()
