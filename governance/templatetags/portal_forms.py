"""``{% submission_token %}``: the one-time token of a POST form (see governance.submissions).

Registered as a template builtin, so every template can use it without ``{% load %}``."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from governance.submissions import TOKEN_FIELD, posted_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """A new token, or the posted one when a form comes back with errors (it was not used up)."""
    request = context.get("request")
    token = posted_token(request) if request is not None else None
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token or uuid.uuid4())


@register.filter
def redact_personal(value) -> str:
    """Published text with ID and phone numbers blanked (governance.privacy)."""
    from governance import privacy

    return privacy.redact_personal(value)
