"""Filters of the 六个标准化 lists. Township choices are limited to the user's jurisdiction."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from governance.filtering import AllYesNoSelect
from standards.models import SCORE_FIELDS, Area, Review
from villages.filters import township_filter, village_filter


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2026, not 2026.5."""

    field_class = forms.IntegerField


class RuleFilter(django_filters.FilterSet):
    area = django_filters.ChoiceFilter(label=_("领域"), choices=Area.choices, empty_label=_("全部领域"))
    title = django_filters.CharFilter(label=_("名称或编号"), method="filter_title", max_length=60)
    active = django_filters.BooleanFilter(
        label=_("在用"), method="filter_active", widget=AllYesNoSelect(yes=_("在用"), no=_("已停用"))
    )

    def filter_title(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(title__contains=value) | Q(code__icontains=value)) if value else queryset

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(retired_on__isnull=value)


class AdoptionFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    village = village_filter("village")
    area = django_filters.ChoiceFilter(
        label=_("领域"), field_name="rule__area", choices=Area.choices, empty_label=_("全部领域")
    )


class ReviewFilter(django_filters.FilterSet):
    """``area`` alone orders the rows by that area's score (lowest first); with ``below`` it keeps
    the reviews scoring under that figure in the area."""

    year = YearFilter(label=_("年度"), min_value=2000, max_value=2100)
    township = township_filter("branch__township")
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Review.State.choices, empty_label=_("全部状态")
    )
    area = django_filters.ChoiceFilter(
        label=_("领域"), choices=Area.choices, empty_label=_("全部领域"), method="filter_area"
    )
    below = django_filters.NumberFilter(
        label=_("该领域得分低于"), min_value=0, max_value=101, method="filter_below"
    )

    def filter_area(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.order_by(SCORE_FIELDS[Area(value)], "branch__township__code", "branch__name", "pk")

    def filter_below(self, queryset, name, value):
        area = self.form.cleaned_data.get("area")
        if value is None or not area:
            return queryset
        return queryset.filter(**{f"{SCORE_FIELDS[Area(area)]}__lt": value})
