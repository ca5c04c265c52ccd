"""No lost update: records that two people can edit carry a version (optimistic concurrency).

The convention every app follows for an edit form of such a record:

- the model inherits ``Versioned`` (a ``version`` column, 1 on creation);
- the form inherits ``VersionedForm`` (a hidden ``version`` field, the one the page was opened at);
- the update service calls ``lock_for_update(record, version=...)`` first: it locks the row, and if
  someone saved in between it raises ``StaleRecord`` and nothing is written; otherwise it bumps the
  version, and the service saves;
- the view catches ``StaleRecord`` with ``show_stale(form, exc)``: the form comes back with the values
  the user typed, a message naming who saved meanwhile and a link to the current record, and the
  current version, so saving again (after looking) is a deliberate overwrite.

``tests/test_versions.py`` finds every edit form of a ``Versioned`` model and checks this.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STALE = gettext_lazy(
    "在您编辑期间，%(who)s于%(when)s保存了这条记录，您的修改尚未保存。"
    "您填写的内容保留在下面：请先查看最新内容，如仍要保存您的内容，再点一次保存。"
)


class Versioned(models.Model):
    # Every save through a service bumps it; a form posting an older one is refused.
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleRecord(ValidationError):
    """Someone else saved ``current`` after the user opened the form."""

    def __init__(self, current):
        self.current = current
        who, when = _last_change(current)
        super().__init__(str(STALE) % {"who": who, "when": when}, code="stale")


def _last_change(record) -> tuple[str, str]:
    entry = record.history.order_by("-history_date").select_related("history_user").first()
    user = getattr(entry, "history_user", None)
    who = (user.get_full_name() or user.username) if user else _("其他用户")
    when = timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M") if entry else ""
    return who, when


def lock_for_update(record, *, version: int | None):
    """Lock ``record``'s row for this transaction and check the version the user's form was opened
    at (``None`` for callers without a form: commands, imports). Raises ``StaleRecord`` when it moved
    on; otherwise sets the next version on ``record``. Must run inside ``transaction.atomic``."""
    current = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if version is not None and current.version != version:
        raise StaleRecord(current)
    record.version = current.version + 1
    return record


class VersionedForm(forms.Form):
    """Mixin for edit forms of ``Versioned`` records: carries the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    stale_record = None
    stale_url = None

    def __init__(self, *args, **kwargs):
        record = kwargs.pop("record", None) or kwargs.get("instance")
        super().__init__(*args, **kwargs)
        if record is None or record.pk is None:
            del self.fields["version"]  # creating: nothing to be stale against
        elif not self.is_bound:
            self.initial["version"] = record.version


def show_stale(form, exc: StaleRecord, *, url: str) -> None:
    """Put ``exc`` on ``form`` with a link to the current record (``url``, shown by
    ``includes/stale_notice.html``) and make the form carry the current version, keeping what was
    typed."""
    form.add_error(None, exc)
    form.stale_url = url
    form.stale_record = getattr(exc, "current", None)
    if form.stale_record is not None:
        data = form.data.copy()
        data["version"] = str(form.stale_record.version)
        form.data = data


def form_status(form) -> int:
    """The status of a page showing ``form``: 400 when it comes back with errors, else 200. One rule
    for every app, so a client (or a test) can tell a refused submission from a page view."""
    return 400 if form.is_bound and form.errors else 200
