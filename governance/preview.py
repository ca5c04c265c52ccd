"""Dry runs for confirmation pages: what a service would do, with nothing kept.

An irreversible action first shows a confirmation page (DESIGN: corrections instead of dead ends).
The page must say exactly what the real call will do, so it runs the real service with every rule
and rolls the transaction back. Rule errors propagate like the real call's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def dry_run(work: Callable[[], T]) -> T:
    """``work()`` inside a transaction (a savepoint when one is open) that is rolled back; its
    return value, read before the rollback, says what the real call leaves behind."""
    with transaction.atomic():
        result = work()
        transaction.set_rollback(True)
    return result
