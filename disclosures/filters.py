"""Filters of the 五公开 list. Township and village choices are limited to the user's jurisdiction."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disclosures.models import Category, Disclosure
from governance.periods import BadPeriod, parse_period
from villages.filters import township_filter, village_filter


class PeriodField(forms.CharField):
    """``2026-Q4`` (a quarter), ``2026`` (a year) or ``2026-10`` (a month) → a Period."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > 10:
            raise ValidationError(BadPeriod(value).message, code="period")
        try:
            return parse_period(value)
        except BadPeriod as exc:
            raise ValidationError(exc.message, code="period") from exc


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(posted_on__gte=value.start, posted_on__lte=value.end)


class DisclosureFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    village = village_filter("village")
    category = django_filters.ChoiceFilter(
        label=_("公开类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    period = PeriodFilter(
        label=_("公开季度或年度"),
        help_text=_("按公开日期：2026-Q4（季度）或 2026（年）。"),
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Disclosure.State.choices, empty_label=_("全部状态")
    )
