"""Filters for the cadre lists. Township choices are limited to the user's jurisdiction."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import (
    Committee,
    DevelopmentStage,
    Performance,
    Position,
    ReserveOutcome,
    ReserveStage,
    probation_overdue_q,
)
from cadres.selectors import ComplianceStatus
from governance.fields import DateFilter
from governance.filtering import AllYesNoSelect
from villages.filters import county_filter, fit_unit_filters, township_filter

BACKGROUNDS = [
    ("is_returning_migrant", _("返乡农民工")),
    ("is_college_graduate", _("大中专毕业生")),
    ("is_veteran", _("退伍军人")),
    ("is_wealth_expert", _("致富能手")),
]


def _yes_no(label, method):
    return django_filters.BooleanFilter(label=label, method=method, widget=AllYesNoSelect())


class PersonFilter(django_filters.FilterSet):
    township = township_filter("home_village__township")
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains", max_length=40)
    background = django_filters.ChoiceFilter(
        label=_("背景"), choices=BACKGROUNDS, method="filter_background", empty_label=_("全部背景")
    )
    flagged = _yes_no(_("连续两年不称职"), "filter_flagged")

    def filter_background(self, queryset, name, value):
        return queryset.filter(**{value: True}) if value else queryset

    def filter_flagged(self, queryset, name, value):
        return queryset if value is None else queryset.filter(flag_incompetent_twice=value)


class PostFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    village = django_filters.CharFilter(label=_("村名"), field_name="village__name", lookup_expr="contains")
    committee = django_filters.ChoiceFilter(
        label=_("组织"), choices=Committee.choices, empty_label=_("全部组织")
    )
    position = django_filters.ChoiceFilter(
        label=_("职务"), choices=Position.choices, empty_label=_("全部职务")
    )
    active = _yes_no(_("仅在任"), "filter_active")
    ending = _yes_no(_("90天内任期届满"), "filter_ending")

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        held = Q(end_date__isnull=True) | Q(end_date__gte=today)
        return queryset.filter(held) if value else queryset.exclude(held)

    def filter_ending(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        ending = Q(end_date__isnull=True, term_end__gte=today, term_end__lte=today + dt.timedelta(days=90))
        return queryset.filter(ending) if value else queryset.exclude(ending)


class EvaluationFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)
    performance = django_filters.ChoiceFilter(
        label=_("述职评议"), choices=Performance.choices, empty_label=_("全部等次")
    )
    flagged = _yes_no(_("连续两年不称职"), "filter_flagged")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_unit_filters(self)

    def filter_flagged(self, queryset, name, value):
        return queryset if value is None else queryset.filter(flag_incompetent_twice=value)


class DevelopmentFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    stage = django_filters.ChoiceFilter(
        label=_("阶段"), choices=DevelopmentStage.choices, empty_label=_("全部阶段")
    )
    overdue = _yes_no(_("预备期满未转正"), "filter_overdue")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = probation_overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ReserveFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    plan_year = django_filters.NumberFilter(label=_("计划年度"), min_value=2000, max_value=2100)
    stage = django_filters.ChoiceFilter(
        label=_("选拔环节"), choices=ReserveStage.choices, empty_label=_("全部环节")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("去向"), choices=ReserveOutcome.choices, empty_label=_("全部去向")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_unit_filters(self)


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2026, not 2026.5."""

    field_class = forms.IntegerField


NOT_MET = "not_met"


class ComplianceFilter(django_filters.FilterSet):
    """The year itself is read by the view (it shapes the annotation); it is a field here so the
    form shows it and keeps it in the query string."""

    year = YearFilter(label=_("计划年度"), min_value=2000, max_value=2100, method="filter_year")
    # An admin's county totals open one county (``?county=``); one county's users have nothing to pick.
    county = county_filter("township__county")
    township = township_filter("township")
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[*ComplianceStatus.CHOICES, (NOT_MET, _("未达标"))],
        empty_label=_("全部状态"),
        method="filter_status",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_unit_filters(self)

    def filter_year(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        if value == NOT_MET:  # the dashboard's 未达标 figure: every status but met
            return queryset.exclude(status=ComplianceStatus.MET)
        return queryset.filter(status=value) if value else queryset


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class RevealFilter(django_filters.FilterSet):
    """The reveal log: by the person's township, by who looked, by day (Asia/Shanghai days)."""

    township = township_filter("person__home_village__township")
    viewer = django_filters.CharFilter(label=_("查看人"), method="filter_viewer", max_length=150)
    date_from = DateFilter(
        label=_("起始日期"), method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateFilter(
        label=_("截止日期"), method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter_viewer(self, queryset, name, value):
        """Username or name, in part (``张`` finds 张三 and 张四)."""
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__last_name__contains=value)
            | Q(user__first_name__contains=value)
        )

    # Bounds as instants rather than ``revealed_at__date``, so the index on revealed_at is used.
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(revealed_at__gte=_local_midnight(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(revealed_at__lt=_local_midnight(value + dt.timedelta(days=1)))
