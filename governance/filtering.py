"""Filter widgets every list page shares."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
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


class UnitChoiceField(forms.ModelChoiceField):
    """A choice of township, village or county that marks units that have ended."""

    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField
