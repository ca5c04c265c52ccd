import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models import Category, Matter
from decisions.selectors import OVERDUE_RESOLUTION, OVERDUE_RESULT
from villages.selectors import townships_visible_to, villages_visible_to


def _townships(request):
    # Only townships the user may read are offered; another township's code is "not a valid choice".
    return townships_visible_to(request.user).order_by("code") if request else Matter.objects.none()


def _villages(request):
    return villages_visible_to(request.user).order_by("code") if request else Matter.objects.none()


class MatterFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"),
        queryset=_townships,
        to_field_name="code",
        field_name="village__township",
        empty_label=_("全部乡镇"),
    )
    village = django_filters.ModelChoiceFilter(
        label=_("村（社区）"), queryset=_villages, to_field_name="code", empty_label=_("全部村（社区）")
    )
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
