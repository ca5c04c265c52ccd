import django_filters
from django.utils.translation import gettext_lazy as _

from governance.filtering import AllYesNoSelect
from supervision.models import Kind, Report, ReportingPeriod
from supervision.widgets import PeriodSelect
from villages.filters import township_filter, village_filter


class ReportFilter(django_filters.FilterSet):
    township = township_filter()
    village = village_filter()
    kind = django_filters.ChoiceFilter(
        label=_("报告类型"), field_name="period__kind", choices=Kind.choices, empty_label=_("全部类型")
    )
    period = django_filters.CharFilter(
        label=_("期次"), method="filter_period", widget=PeriodSelect(blank_label=_("全部期次"))
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Report.Status.choices, empty_label=_("全部状态")
    )
    late = django_filters.BooleanFilter(
        label=_("逾期"), method="filter_late", widget=AllYesNoSelect(yes=_("逾期"), no=_("未逾期"))
    )

    class Meta:
        model = Report
        fields = ["township", "village", "kind", "status"]

    def filter_period(self, queryset, name, value):
        if not value:
            return queryset
        parsed = ReportingPeriod.parse_key(value.strip())
        if parsed is None:
            # An unreadable period matches nothing rather than silently showing everything.
            return queryset.none()
        kind, year, number = parsed
        return queryset.filter(period__kind=kind, period__year=year, period__number=number)

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        # ``late`` is annotated by reports_visible_to (a CASE over the period's deadline).
        return queryset.filter(late=value)
