"""Personal data in free text: ID numbers and phone numbers someone may have typed into a title,
a dispute's facts or a disclosure. Public pages and exports never carry them (DESIGN §4, §6); forms
of records that are published refuse them outright (``reject_personal``), and whatever reaches a
public page is blanked again on the way out (``redact_personal``), so an older record cannot leak."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# ID numbers (18 or 15 characters) and phone numbers (mobile and landline). Mobile numbers are
# also caught when written in groups ("138 1234 5678", "138-1234-5678").
PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])"
)
REDACTED = gettext_noop("［已隐去］")


def contains_personal(value) -> bool:
    return bool(value) and PERSONAL.search(str(value)) is not None


def redact_personal(value) -> str:
    """``value`` with ID and phone numbers replaced by a marker (for notices, the public board, exports)."""
    if value is None:
        return ""
    marker = gettext(REDACTED)
    return PERSONAL.sub(lambda _match: marker, str(value))


def reject_personal(value) -> None:
    """A form/model validator: published text may not hold an ID or phone number."""
    if contains_personal(value):
        raise ValidationError(_("请勿填写身份证号码或电话号码：此内容会公开或导出。"), code="personal_data")
