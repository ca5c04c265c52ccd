"""Audit trail for detail pages: who changed what and when, from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORY_LIMIT = 50


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    object_label: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def history_entries(*objects, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of ``objects`` (e.g. a village and its branch), newest first.

    One query per object (bounded by ``limit`` rows each); field diffs are computed between
    consecutive history rows in Python, which is cheap for a bounded number of rows.
    """
    entries: list[HistoryEntry] = []
    for obj in objects:
        if obj is None:
            continue
        records = list(
            obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
        )
        model = obj._meta.model
        for newer, older in zip(records, records[1:] + [None], strict=False):
            if newer is records[-1] and len(records) > limit:
                break
            changes = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older)
                for change in delta.changes:
                    verbose = str(model._meta.get_field(change.field).verbose_name)
                    changes.append((verbose, change.old, change.new))
            entries.append(
                HistoryEntry(
                    when=newer.history_date,
                    who=_who(newer.history_user),
                    action=_ACTIONS.get(newer.history_type, newer.history_type),
                    object_label=str(model._meta.verbose_name),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
