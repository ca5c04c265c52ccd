"""Audit trail for detail pages: who changed what and when, from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
    # The verb and the record's kind as one phrase of the active language: 新建人员 / Person created.
    summary: str = ""


_ACTIONS = {"+": gettext_noop("新建"), "~": gettext_noop("修改"), "-": gettext_noop("删除")}
# Whole phrases, so each language puts the verb where it belongs (and a space where it needs one).
_SUMMARIES = {
    "+": gettext_noop("新建%(model)s"),
    "~": gettext_noop("修改%(model)s"),
    "-": gettext_noop("删除%(model)s"),
}


def display_name(user) -> str:
    """How a person is named on a page: the full name (Chinese order: surname then given name, no
    space), else the username. Used for the acting user and for user fields (a report's reviewer)."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and not (first + last).isascii():
        return last + first
    return user.get_full_name() or user.username


def _who(user) -> str:
    if user is None:
        return str(_("系统"))
    return display_name(user)


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
                    action=_(_ACTIONS[newer.history_type]),
                    object_label=str(model._meta.verbose_name),
                    summary=_(_SUMMARIES[newer.history_type]) % {"model": model._meta.verbose_name},
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
    user_model = get_user_model()
    if user_model in labels:  # a reviewer or author is named as people read it, not by login
        labels[user_model] = {pk: display_name(user) for pk, user in labels[user_model].items()}
    for entry in entries:
        for change in entry.changes:
            if change.related_model is not None:
                found = labels[change.related_model]
                change.old = found.get(change.old, change.old) if change.old is not None else None
                change.new = found.get(change.new, change.new) if change.new is not None else None
