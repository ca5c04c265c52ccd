import django_filters
from django.utils.translation import gettext_lazy as _

from supervision.models import Kind, Report, ReportingPeriod
from supervision.widgets import PeriodSelect
from villages.models import Village
from villages.selectors import townships_visible_to, villages_visible_to


class LateSelect(django_filters.widgets.BooleanWidget):
    """All / late / not late (the stock widget's blank option reads "unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("逾期")), ("false", _("未逾期")))


def _townships(request):
    return townships_visible_to(request.user).order_by("code") if request else Village.objects.none()


def _villages(request):
    return villages_visible_to(request.user).order_by("code") if request else Village.objects.none()


class ReportFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"), queryset=_townships, to_field_name="code", empty_label=_("全部乡镇")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("村（社区）"), queryset=_villages, to_field_name="code", empty_label=_("全部村（社区）")
    )
    kind = django_filters.ChoiceFilter(
        label=_("报告类型"), field_name="period__kind", choices=Kind.choices, empty_label=_("全部类型")
    )
    period = django_filters.CharFilter(
        label=_("期次"), method="filter_period", widget=PeriodSelect(blank_label=_("全部期次"))
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Report.Status.choices, empty_label=_("全部状态")
    )
    late = django_filters.BooleanFilter(label=_("逾期"), method="filter_late", widget=LateSelect())

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
