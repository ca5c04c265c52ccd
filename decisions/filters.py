import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models import Category, Matter
from decisions.selectors import OVERDUE_RESOLUTION, OVERDUE_RESULT
from villages.filters import township_filter, village_filter


class MatterFilter(django_filters.FilterSet):
    township = township_filter("village__township")
    village = village_filter()
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Matter.State.choices, empty_label=_("全部状态")
    )
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year", min_value=2000, max_value=2100)
    overdue = django_filters.ChoiceFilter(
        label=_("逾期未公开"),
        choices=[
            ("true", _("全部逾期")),
            (OVERDUE_RESOLUTION, _("决议逾期未公开")),
            (OVERDUE_RESULT, _("结果逾期未公开")),
        ],
        method="filter_overdue",
        empty_label=_("不限"),
    )
    title = django_filters.CharFilter(label=_("事项名称"), lookup_expr="contains", max_length=60)

    class Meta:
        model = Matter
        fields = ["township", "village", "category", "state", "year", "overdue", "title"]

    def filter_overdue(self, queryset, name, value):
        """On the ``overdue_kind`` annotation of ``matters_visible_to`` (computed in SQL)."""
        if value == "true":
            return queryset.filter(is_overdue=True)
        return queryset.filter(overdue_kind=value)

    def filter_year(self, queryset, name, value):
        """The matter's year: that of its proposal, or of its entry while it has none."""
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(Q(proposed_on__year=year) | Q(proposed_on__isnull=True, created_at__year=year))
