"""Filters of the class list: year, organiser (the county itself or a township) and audience."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from training.models import Audience
from villages.filters import township_filter


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2026, not 2026.5."""

    field_class = forms.IntegerField


COUNTY_ORGANISED = "county"


class ClassFilter(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="start_date__year", min_value=2000, max_value=2100)
    level = django_filters.ChoiceFilter(
        label=_("主办单位"),
        choices=[(COUNTY_ORGANISED, _("县级")), ("township", _("乡镇"))],
        empty_label=_("全部"),
        method="filter_level",
    )
    township = township_filter("township")
    audience = django_filters.ChoiceFilter(
        label=_("参训对象"), choices=Audience.choices, empty_label=_("全部对象"), method="filter_audience"
    )
    title = django_filters.CharFilter(label=_("名称"), lookup_expr="contains", max_length=60)

    def filter_level(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(township__isnull=value == COUNTY_ORGANISED)

    def filter_audience(self, queryset, name, value):
        return queryset.filter(audience__contains=[value]) if value else queryset
