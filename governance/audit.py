"""Attribution of history rows outside a request (management commands, imports, seeders).

In a request, simple-history's middleware records request.user. Elsewhere, wrap the work in
``acting_as(user)`` so every change is still attributed to someone.
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous
