"""Forms, filter and export columns of the member pages ([7/10]). Services re-check every rule."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forms import DateInput, _person_field
from cadres.models import DutyKind, JoinKind, LeaveKind, MemberStatus
from governance.exports import Column
from governance.fields import DateField
from governance.filtering import AllYesNoSelect
from governance.versioning import VersionedForm
from villages.filters import township_filter
from villages.models import PartyBranch


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.township.name}）"


class RegisterForm(forms.Form):
    """建档登记 or 转入 from outside the county: a full member joins the branch."""

    person = forms.Field()  # replaced in __init__
    joined_how = forms.ChoiceField(
        label=_("加入方式"),
        choices=[
            (JoinKind.REGISTERED, JoinKind.REGISTERED.label),
            (JoinKind.TRANSFER_IN, JoinKind.TRANSFER_IN.label),
        ],
    )
    joined_on = DateField(label=_("转入（登记）日期"), widget=DateInput())
    full_since = DateField(label=_("转为正式党员日期"), widget=DateInput())
    from_place = forms.CharField(
        label=_("从何处转入"), max_length=120, required=False, help_text=_("转入时填写原党组织或单位。")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    field_order = ["person", "joined_how", "joined_on", "full_since", "from_place", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(user, label=_("党员"))
        self.order_fields(self.field_order)


class TransferForm(forms.Form):
    """转出 to another branch of the county, 转入 there the same day."""

    to_branch = BranchChoiceField(
        label=_("转入党组织"), queryset=PartyBranch.objects.none(), to_field_name="public_id"
    )
    on = DateField(label=_("转接日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        county = membership.branch.township.county_id
        self.fields["to_branch"].queryset = (
            PartyBranch.objects.filter(township__county_id=county)
            .exclude(pk=membership.branch_id)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
            .select_related("township")
            .order_by("township__code", "name")
        )


class LeaveForm(forms.Form):
    """The member leaves the county's branches (转出 out of the county, deceased, other)."""

    how = forms.ChoiceField(label=_("离开方式"), choices=LeaveKind.choices)
    on = DateField(label=_("日期"), widget=DateInput())
    to_place = forms.CharField(label=_("转往何处或原因"), max_length=120)


class DutyForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("岗位"), queryset=DutyKind.objects.none(), to_field_name="public_id"
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    assigned_on = DateField(label=_("设岗日期"), widget=DateInput())
    note = forms.CharField(label=_("履职要求"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DutyKind.objects.filter(active=True)


class DutyKindForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = DutyKind
        fields = ["name", "description", "order", "active"]


class MemberFilter(django_filters.FilterSet):
    township = township_filter("branch__township")
    branch_name = django_filters.CharFilter(
        label=_("党组织"), field_name="branch__name", lookup_expr="contains", max_length=80
    )
    branch = django_filters.UUIDFilter(field_name="branch__public_id", widget=forms.HiddenInput)
    name = django_filters.CharFilter(
        label=_("姓名"), field_name="person__name", lookup_expr="contains", max_length=40
    )
    status = django_filters.ChoiceFilter(
        label=_("党员类别"), choices=MemberStatus.choices, method="filter_status", empty_label=_("全部类别")
    )
    current = django_filters.BooleanFilter(
        label=_("在册"), method="filter_current", widget=AllYesNoSelect(yes=_("在册"), no=_("已转出或离开"))
    )

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        full = Q(full_since__lte=timezone.localdate())
        return queryset.filter(full) if value == MemberStatus.FULL else queryset.exclude(full)

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(left_on__isnull=value)


def _status(m) -> str:
    return str(m.status_label_on(timezone.localdate()))


def _from(m) -> str:
    return m.from_branch.name if m.from_branch else m.from_place


def _to(m) -> str:
    return m.to_branch.name if m.to_branch else m.to_place


MEMBER_COLUMNS = [
    Column(_("姓名"), lambda m: m.person.name),
    Column(_("身份证号码"), lambda m: m.person.id_number_masked),
    Column(_("党组织"), lambda m: m.branch.name),
    Column(_("乡镇（街道）"), lambda m: m.branch.township.name),
    Column(_("党员类别"), _status),
    Column(_("转为正式党员日期"), lambda m: m.full_since),
    Column(_("加入方式"), lambda m: m.get_joined_how_display()),
    Column(_("转入（接收）日期"), lambda m: m.joined_on),
    Column(_("从何处转入"), _from),
    Column(_("离开方式"), lambda m: m.get_left_how_display()),
    Column(_("转出（离开）日期"), lambda m: m.left_on),
    Column(_("转往何处"), _to),
    Column(_("本年度岗位"), lambda m: m.duty_this_year or ""),
]
