"""Filter widgets every list page shares."""

from __future__ import annotations

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class AllYesNoSelect(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose blank choice reads "all": django-filter's own reads "unknown" (未知)."""

    def __init__(self, attrs=None, *, yes=None, no=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", yes or _("是")), ("false", no or _("否"))]


def unit_label(unit) -> str:
    """An administrative unit's name, marked when it has ended (valid_to in the past): abolished
    townships and villages stay on offer in filters, since old records point at them."""
    if unit.valid_to is not None and unit.valid_to < timezone.localdate():
        return _("%(name)s（已撤销）") % {"name": unit.name}
    return unit.name


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python. Django renders every ``<option>`` through
    a template: an admin's township filter (3,111 townships of a province) cost about a second per
    list page that way (bench/RESULTS.md); the same markup built here costs milliseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            # One escape per value rather than format_html per option (a third of the time again).
            rows = "".join(
                f'<option value="{escape(option["value"])}"'
                f"{flatatt(option['attrs']) if option['attrs'] else ''}>"
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            parts.append(
                f'<optgroup label="{conditional_escape(group)}">{rows}</optgroup>' if group else rows
            )
        options = mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above
        attributes = flatatt(widget["attrs"])
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attributes, options)


class UnitChoiceField(forms.ModelChoiceField):
    """A choice of township, village or county that marks units that have ended."""

    widget = QuickSelect

    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField
