"""Corrections (更正): the one convention for changing a record that was already acted on.

A recorded step, a closed item, an approved report or a stage already reached is never edited in
place and never a dead end: its township corrects it with a required reason. Every app keeps a
concrete subclass of ``Correction`` beside the record it corrects; the record's own history keeps the
old values, the correction row says who, when, why and what (shown on the record's page, and to
county officials when the record had already been approved).

    class StepCorrection(Correction):
        corrected_model = Step          # whose fields ``changes`` names
        step = models.ForeignKey(Step, related_name="corrections", ...)

    changes = changed_fields(step, new_values)   # {} -> raise nothing_to_correct()
    ...apply and save the record...
    record_correction(StepCorrection(step=step), user=user, reason=reason, changes=changes)

A subclass that declares its own ``Meta`` must extend ``Correction.Meta`` (``class Meta(Correction.Meta)``)
or it loses the reason constraint and the ordering. Its admin is ``CorrectionAdminMixin`` +
``SimpleHistoryAdmin`` (read-only for everyone). Pages read corrections with
``select_related("corrected_by")`` and render them with ``templates/includes/corrections.html``.

``tests/governance/test_corrections.py`` checks every subclass: reason required by the database,
history kept, listed in the admin and refusing additions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from governance.integrity import save_checked

REASON_REQUIRED = gettext_noop("更正须填写原因。")
NOTHING_CHANGED = gettext_noop("没有修改任何内容，无需更正。")
# The key of ``changes`` holding a free-text description (corrections recorded before ``changes``
# was structured): shown as one line.
TEXT_KEY = "_text"


class Correction(models.Model):
    """Who corrected what, when and why. Subclasses add the foreign key to the corrected record and
    set ``corrected_model`` (the model whose field names are the keys of ``changes``)."""

    corrected_model: type[models.Model] | None = None

    reason = models.TextField(_("更正原因"), max_length=500)
    # {field name: [before, after]} as plain JSON values (dates as ISO text, choices as their keys);
    # labels and choice names are looked up when shown, so they follow the reader's language.
    changes = models.JSONField(_("更正内容"), default=dict)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("更正人")
    )
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now, editable=False)
    after_approval = models.BooleanField(_("审核通过后更正"), default=False)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_has_reason",
                violation_error_message=_("更正须填写原因。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.corrected_at:%Y-%m-%d %H:%M} · {self.reason[:40]}"

    def lines(self) -> list[dict]:
        """``[{"label", "before", "after", "text"}]`` for display, in the reader's language. A
        correction recorded before this convention keeps its description as one ``text`` line
        (``{"_text": [description, ""]}``)."""
        model = self.corrected_model
        changes = self.changes or {}
        if not isinstance(changes, dict):  # a bare description
            changes = {TEXT_KEY: [str(changes), ""]}
        result = []
        for name, pair in changes.items():
            before, after = (
                (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (pair, None)
            )
            if name == TEXT_KEY:
                result.append({"label": "", "before": "", "after": "", "text": str(before or "—")})
                continue
            result.append(
                {
                    "label": field_label(model, name),
                    "before": display_value(model, name, before),
                    "after": display_value(model, name, after),
                    "text": "",
                }
            )
        return result


def plain(value):
    """A field value as JSON: dates as ISO text, decimals as text, model instances as their text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def changed_fields(record: models.Model, values: dict) -> dict[str, list]:
    """``{name: [before, after]}`` for the entries of ``values`` that differ from ``record``."""
    return {
        name: [plain(getattr(record, name)), plain(value)]
        for name, value in values.items()
        if getattr(record, name) != value
    }


def field_label(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # a field renamed since the correction was made keeps its stored name
            pass
    return name


def display_value(model: type[models.Model] | None, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except Exception:
            field = None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
    return str(value)


def require_reason(reason: str | None, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _(REASON_REQUIRED)}, code="reason")
    return reason


def nothing_to_correct() -> ValidationError:
    return ValidationError(_(NOTHING_CHANGED), code="unchanged")


class CorrectionAdminMixin:
    """Admin of a ``Correction`` subclass (with ``SimpleHistoryAdmin``): corrections are made through
    the portal's services only, and never changed or deleted afterwards, by anyone."""

    record_field = ""  # the foreign key to the corrected record, listed after who, when and why
    list_display = ["corrected_at", "corrected_by", "reason", "after_approval"]
    list_select_related = ["corrected_by"]
    list_filter = ["after_approval"]
    search_fields = ["reason"]
    date_hierarchy = "corrected_at"

    def get_list_display(self, request):
        return [*self.list_display, *([self.record_field] if self.record_field else [])]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def record_correction(correction: Correction, *, user, reason: str, changes: dict, after_approval=False):
    """Save ``correction`` (its foreign key to the record already set) with who, why and what. Call it
    inside the service's transaction, after the corrected record was saved."""
    correction.corrected_by = user
    correction.reason = require_reason(reason)
    correction.changes = changes
    correction.after_approval = after_approval
    return save_checked(correction)
