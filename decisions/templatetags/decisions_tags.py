"""Template helpers for the decisions pages."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# ID numbers (18 or 15 characters) and phone numbers (mobile and landline) that someone may have
# typed into free text. Public notices must never carry them (DESIGN §4, §6), so they are blanked.
# Mobile numbers are also caught when written in groups ("138 1234 5678", "138-1234-5678").
_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])"
)
REDACTED = gettext_noop("［已隐去］")


@register.filter
def redact_personal(value) -> str:
    """``value`` with ID and phone numbers replaced by a marker (for notices and the public board)."""
    if value is None:
        return ""
    marker = gettext(REDACTED)
    return _PERSONAL.sub(lambda _match: marker, str(value))


@register.filter
def yuan(value) -> str:
    """An amount in yuan with thousands separators: 1234567.5 → 1,234,567.50."""
    if value is None or value == "":
        return ""
    return f"{value:,.2f}"
