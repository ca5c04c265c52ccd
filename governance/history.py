"""Audit trail for detail pages: who changed what and when, from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORY_LIMIT = 50


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    related_model: Any = None

    # Templates unpack ``{% for field, old, new in entry.changes %}``.
    def __iter__(self):
        return iter((self.field, self.old, self.new))

    def __len__(self) -> int:
        return 3


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)


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
                    field_obj = model._meta.get_field(change.field)
                    related = field_obj.related_model if field_obj.many_to_one else None
                    old, new = _choice_label(field_obj, change.old), _choice_label(field_obj, change.new)
                    changes.append(FieldChange(str(field_obj.verbose_name), old, new, related))
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
    entries = entries[:limit]
    _label_foreign_keys(entries)
    return entries


def _choice_label(field_obj, value):
    """``decided`` → ``综合定``: stored choice values shown as their labels."""
    if field_obj.choices and value is not None:
        return dict(field_obj.flatchoices).get(value, value)
    return value


def _label_foreign_keys(entries: list[HistoryEntry]) -> None:
    """Show related rows by name instead of raw ids: one query per related model, not per change."""
    wanted: dict[Any, set] = {}
    for entry in entries:
        for change in entry.changes:
            if change.related_model is not None:
                wanted.setdefault(change.related_model, set()).update(
                    value for value in (change.old, change.new) if value is not None
                )
    labels = {model: model._default_manager.in_bulk(list(ids)) for model, ids in wanted.items()}
    for entry in entries:
        for change in entry.changes:
            if change.related_model is not None:
                found = labels[change.related_model]
                change.old = found.get(change.old, change.old) if change.old is not None else None
                change.new = found.get(change.new, change.new) if change.new is not None else None
