"""The period picker (as in DHIS2's data entry: period type, then the periods of recent years)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.models import Kind, ReportingPeriod


class PeriodSelect(forms.Select):
    """A ``<select>`` of period keys (``2026-10``, ``2026-Q3``, ``2026``) grouped by kind.

    Options are computed when rendering, so they follow the calendar; a valid key given in the URL
    that is older than the listed years is still shown as selected.
    """

    def __init__(self, attrs=None, *, kinds=tuple(Kind), blank_label=None):
        super().__init__(attrs)
        self.kinds = kinds
        self.blank_label = blank_label

    def optgroups(self, name, value, attrs=None):
        from supervision.selectors import period_choices

        choices = period_choices(timezone.localdate(), kinds=self.kinds)
        known = {key for _group, options in choices for key, _label in options}
        extra = [v for v in value if v and v not in known and ReportingPeriod.parse_key(v)]
        if extra:
            kind, year, number = ReportingPeriod.parse_key(extra[0])
            period = ReportingPeriod(kind=kind, year=year, number=number)
            choices.insert(0, (str(_("其他期次")), [(period.key, period.label)]))
        if self.blank_label is not None:
            choices.insert(0, ("", self.blank_label))
        self.choices = choices
        return super().optgroups(name, value, attrs)
