import django_filters
from django.utils.translation import gettext_lazy as _

from villages.models import Village
from villages.selectors import townships_visible_to


def _townships(request):
    # Only townships the user may read are offered; another township's code is "not a valid choice".
    return townships_visible_to(request.user).order_by("code") if request else Village.objects.none()


class VillageFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"), queryset=_townships, to_field_name="code", empty_label=_("全部乡镇")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Village.Kind.choices, empty_label=_("全部类型")
    )
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains", max_length=60)
    current = django_filters.BooleanFilter(
        label=_("仅现行"), method="filter_current", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Village
        fields = ["township", "kind", "name"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)
