"""Unified social credit codes (统一社会信用代码, GB 32100-2015) of enterprises.

18 characters from a 31-character set (the digits and the capitals without I, O, Z, S, V):
position 1 the registering department, 2 the kind of organisation, 3-8 the administrative division
code of the registering authority (digits), 9-17 the organisation code, 18 a check character. The
check character is ``31 - (Σ value × weight mod 31)``, mod 31, over positions 1-17 with the weights
below, mapped back through the same character set.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

WRONG_LENGTH = _("统一社会信用代码应为18位。")
WRONG_CHARACTER = _("统一社会信用代码只能由数字和大写字母组成（不使用I、O、Z、S、V）。")
WRONG_AREA = _("统一社会信用代码的第3至8位应为登记机关的行政区划代码（6位数字）。")
WRONG_CHECK = _("统一社会信用代码校验位不正确，请核对是否有输错的字符。")

_VALUES = {char: value for value, char in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (already in the character set)."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(value: str) -> str:
    """What a user typed, as stored: spaces removed, letters upper-case."""
    return "".join(value.split()).upper()


def validate_credit_code(value: str) -> None:
    """Raise a ValidationError saying what is wrong with ``value`` (already normalised)."""
    if len(value) != LENGTH:
        raise ValidationError(WRONG_LENGTH, code="credit_code_length")
    if any(char not in _VALUES for char in value):
        raise ValidationError(WRONG_CHARACTER, code="credit_code_character")
    if not value[2:8].isdigit():
        raise ValidationError(WRONG_AREA, code="credit_code_area")
    if check_character(value[:17]) != value[17]:
        raise ValidationError(WRONG_CHECK, code="credit_code_check")


def is_valid_credit_code(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True
