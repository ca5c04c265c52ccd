"""Forms, filter and export columns of the first-secretary pages ([9/10]). Services re-check every
rule (``cadres.stationing``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms import DateInput, PersonChoiceField, _village_field, with_current_posts
from cadres.stationing import candidates_for
from cadres.widgets import PersonPicker
from governance.exports import Column
from governance.fields import DateField
from governance.filtering import AllYesNoSelect
from villages.filters import township_filter


class StationingForm(forms.Form):
    """登记驻村第一书记: the person may live anywhere in the county (not only the user's township)."""

    person = forms.Field()  # replaced in __init__
    village = forms.Field()  # replaced in __init__
    sending_unit = forms.CharField(
        label=_("派出单位"),
        max_length=120,
        help_text=_("如：县委组织部、县农牧农村和科技局、州级单位。"),
        error_messages={"required": _("请填写派出单位。")},
    )
    start_date = DateField(label=_("驻村日期"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(
            label=_("第一书记"),
            queryset=with_current_posts(candidates_for(user).order_by("home_village__code", "name")),
            to_field_name="public_id",
            widget=PersonPicker(search={"county": "1"}),
            help_text=_("可选本县任一乡镇的人员；须不在本村任职、不是本村党组织党员。"),
        )
        self.fields["village"] = _village_field(user)
        self.order_fields(["village", "person", "sending_unit", "start_date"])


class StationingEndForm(forms.Form):
    end_date = DateField(label=_("离任日期"), widget=DateInput())


class FirstSecretaryFilter(django_filters.FilterSet):
    """The county list of villages: township and whether a first secretary is stationed today."""

    township = township_filter("township")
    has = django_filters.BooleanFilter(
        label=_("驻村第一书记"), method="filter_has", widget=AllYesNoSelect(yes=_("有"), no=_("无"))
    )
    name = django_filters.CharFilter(
        label=_("村名"), field_name="name", lookup_expr="contains", max_length=40
    )

    def filter_has(self, queryset, name, value):
        return queryset if value is None else queryset.filter(has_first_secretary=value)


FIRST_SECRETARY_COLUMNS = [
    Column(_("村（社区）"), lambda v: v.name),
    Column(_("乡镇（街道）"), lambda v: v.township.name),
    Column(_("驻村第一书记"), lambda v: v.fs_name or ""),
    Column(_("派出单位"), lambda v: v.fs_unit or ""),
    Column(_("驻村日期"), lambda v: v.fs_since),
]
