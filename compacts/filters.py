"""The filters of the village list: township, kind, "revised since" a date, and revised or not."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from compacts.models import Kind
from governance.fields import DateFilter
from villages.filters import township_filter

REVISED, NOT_REVISED = "revised", "not_revised"


class VillageCompactFilter(django_filters.FilterSet):
    """``since`` and ``kind`` are read by the view (they shape the annotation ``revised_on``:
    ``compacts.selectors.village_compacts``); ``status`` keeps the villages revised or not."""

    township = township_filter("township")
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=Kind.choices, empty_label=_("两类均可"), method="filter_nothing"
    )
    since = DateFilter(label=_("自此日期以来修订"), method="filter_nothing")
    status = django_filters.ChoiceFilter(
        label=_("是否修订"),
        choices=[(REVISED, _("已修订")), (NOT_REVISED, _("未修订"))],
        empty_label=_("全部"),
        method="filter_status",
    )

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        if value == REVISED:
            return queryset.filter(revised_on__isnull=False)
        if value == NOT_REVISED:
            return queryset.filter(revised_on__isnull=True)
        return queryset
