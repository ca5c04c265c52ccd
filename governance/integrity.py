"""Saving a record so that a rule the database enforces never answers 500.

Forms and services check the rules first (``full_clean()`` and the services' own checks); the
database constraints behind them (DESIGN: one report per village and period, one ID number per
person, one holder of a single-holder post) only fire when a concurrent request got there first.
``save_checked`` turns that race into the same ValidationError a user would have seen a moment later.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

CONFLICT = gettext_lazy("保存时与他人同时提交的内容冲突，没有保存。请刷新页面核对后再试。")


def save_checked(record, *, recheck: Callable[[], None] | None = None, **save_kwargs):
    """``full_clean()`` then ``save()`` in a savepoint. If the database refuses the row (another
    request committed a clashing one in between), ``recheck`` (the service's own duplicate rule) or
    ``full_clean()`` runs again, now seeing the other row, and raises its message; failing that, the
    general ``CONFLICT``. Nothing is saved either way."""
    record.full_clean()
    try:
        with transaction.atomic():
            record.save(**save_kwargs)
    except IntegrityError as exc:
        if recheck is not None:
            recheck()
        record.full_clean()
        raise ValidationError(str(CONFLICT), code="conflict") from exc
    return record
