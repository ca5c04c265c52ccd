"""Template helpers for the decisions pages."""

from __future__ import annotations

from django import template

from governance import privacy

register = template.Library()


@register.filter
def redact_personal(value) -> str:
    """``value`` with ID and phone numbers replaced by a marker (for notices and the public board)."""
    return privacy.redact_personal(value)


@register.filter
def yuan(value) -> str:
    """An amount in yuan with thousands separators: 1234567.5 → 1,234,567.50."""
    if value is None or value == "":
        return ""
    return f"{value:,.2f}"
