"""Filters of the dispute log. Township and village choices are limited to the user's jurisdiction."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from governance.filtering import AllYesNoSelect
from mediation.models import Category, Outcome
from mediation.selectors import old_open_q
from villages.filters import county_filter, township_filter, village_filter


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2026, not 2026.5."""

    field_class = forms.IntegerField


class CommitteeFilter(django_filters.FilterSet):
    township = township_filter("township")


class DisputeFilter(django_filters.FilterSet):
    year = YearFilter(
        label=_("受理年度"), field_name="received_on", lookup_expr="year", min_value=2000, max_value=2100
    )
    county = county_filter("village__township__county")
    township = township_filter("village__township")
    village = village_filter("village")
    category = django_filters.ChoiceFilter(
        label=_("纠纷类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("调解结果"), choices=Outcome.choices, empty_label=_("全部结果")
    )
    closed = django_filters.BooleanFilter(
        label=_("是否办结"), method="filter_closed", widget=AllYesNoSelect(yes=_("已办结"), no=_("调解中"))
    )
    old_open = django_filters.BooleanFilter(
        label=_("调解中超过30天"), method="filter_old_open", widget=AllYesNoSelect(yes=_("是"), no=_("否"))
    )

    def filter_closed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(outcome=Outcome.OPEN) if value else queryset.filter(outcome=Outcome.OPEN)

    def filter_old_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(old_open_q()) if value else queryset.exclude(old_open_q())
