"""Putting a service's refusal on the form that asked for it: one rule for every app's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from governance.versioning import StaleRecord, show_stale


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else above
    the form (the page then answers 400 with everything typed kept)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def save_with(form: forms.Form, call: Callable[[], Any], *, stale_url: str = "") -> Any | None:
    """Run a service (``call``) for a valid ``form``: its result, or None with the refusal shown on
    the form (a rule broken: ``apply_errors``; someone saved first: ``show_stale`` with a link to
    ``stale_url``)."""
    if not form.is_valid():
        return None
    try:
        return call()
    except StaleRecord as exc:
        show_stale(form, exc, url=stale_url)
    except ValidationError as exc:
        apply_errors(form, exc)
    return None
