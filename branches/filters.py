"""Filters of the branch register (``/branches/``): township, kind, active in a month, lacking a
required committee, current or ended, and a name search."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import rules
from branches.models import BranchEnterprise, BranchVillage
from branches.selectors import current_q
from governance.fields import year_in_range
from governance.filtering import AllYesNoSelect
from villages.filters import county_filter, fit_unit_filters, township_filter
from villages.models import PartyBranch

BAD_MONTH = _("月份格式为“年-月”，如 2026-06。")


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month picker), cleaned to ``(year, month)``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(type="month", placeholder="2026-06", min="2000-01", max="2100-12")
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value) if value.isascii() else None
        if not match:
            raise ValidationError(BAD_MONTH, code="bad_month")
        year, month = int(match[1]), int(match[2])
        if not (year_in_range(year) and 1 <= month <= 12):
            raise ValidationError(BAD_MONTH, code="bad_month")
        return year, month


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class BranchFilter(django_filters.FilterSet):
    # The summary's county figures (an admin's first level) lead here; owner township's county.
    county = county_filter("township__county")
    township = township_filter("township")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=PartyBranch.Kind.choices, empty_label=_("全部类型")
    )
    active_in = MonthFilter(label=_("某月活动"), method="filter_active_in")
    lacks_committee = django_filters.BooleanFilter(
        label=_("班子不合规"), method="filter_lacks_committee", widget=AllYesNoSelect()
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("current", _("现有")), ("ended", _("已撤销"))],
        empty_label=_("全部"),
        method="filter_status",
    )
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search", max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_unit_filters(self)

    def filter_active_in(self, queryset, name, value):
        return queryset.filter(rules.active_in_month_q(*value)) if value else queryset

    def filter_lacks_committee(self, queryset, name, value):
        # ``committee_ok`` comes from cadres.selectors.annotate_branch_rules (the list's queryset).
        return queryset if value is None else queryset.filter(committee_ok=not value)

    def filter_status(self, queryset, name, value):
        current = current_q(timezone.localdate())
        if value == "current":
            return queryset.filter(current)
        return queryset.exclude(current) if value == "ended" else queryset

    def filter_search(self, queryset, name, value):
        """Name of the branch, of its base or linked villages, or of a linked enterprise."""
        if not value:
            return queryset
        linked_village = BranchVillage.objects.filter(branch=OuterRef("pk"), village__name__contains=value)
        linked_enterprise = BranchEnterprise.objects.filter(
            branch=OuterRef("pk"), enterprise__name__contains=value
        )
        return queryset.filter(
            Q(name__contains=value)
            | Q(village__name__contains=value)
            | Q(Exists(linked_village))
            | Q(Exists(linked_enterprise))
        )
