"""Dry runs for confirmation pages: what a service would do, with nothing kept.

An irreversible action first shows a confirmation page (DESIGN: corrections instead of dead ends).
The page must say exactly what the real call will do, so it runs the real service with every rule
and rolls the transaction back. Rule errors propagate like the real call's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

T = TypeVar("T")


def dry_run(work: Callable[[], T]) -> T:
    """``work()`` inside a transaction (a savepoint when one is open) that is rolled back; its
    return value, read before the rollback, says what the real call leaves behind."""
    with transaction.atomic():
        result = work()
        transaction.set_rollback(True)
    return result


# --- confirmation pages -------------------------------------------------------------------------
# One flow for every "are you sure?" step of an app (submit, confirm, return, publish, withdraw):
# GET, or a POST whose reason is not yet valid, shows what will happen from a dry run of the real
# service; 确认办理 (``confirmed=1``) carries it out. Works without JavaScript.


class ConfirmForm(forms.Form):
    """The confirmation step of an action with nothing to type."""


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "1"


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def transition(
    request,
    *,
    service: Callable[..., object],
    back: str,
    done: str,
    page: Callable[[], dict],
    template: str,
    form_class: type[forms.Form] | None = None,
    fields: tuple[str, ...] = (),
    refresh: Callable[[], object] | None = None,
) -> HttpResponse:
    """Run ``service(**reason fields)`` through its confirmation page. ``page()`` gives the page's
    ``title``, ``subject``, ``summary`` (label, value pairs) and ``after`` (what the action leaves),
    read after the dry run and ``refresh()`` (reloading the record the dry run rolled back)."""
    form = form_class(request.POST if request.method == "POST" else None) if form_class else ConfirmForm()
    kwargs = {name: form.cleaned_data[name] for name in fields} if form.is_bound and form.is_valid() else {}
    ready = not fields or bool(kwargs)
    error = ""
    if confirmed(request) and ready:
        try:
            service(**kwargs)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, done)
            return redirect(back)
    elif ready:
        try:
            dry_run(lambda: service(**kwargs))
        except ValidationError as exc:
            error = error_text(exc)
        if refresh is not None:
            refresh()
    context = {**page(), "action": request.path, "back": back, "form": form, "error": error}
    status = 400 if error or (form.is_bound and form.errors) else 200
    return render(request, template, context, status=status)
