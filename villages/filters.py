import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from governance.filtering import UnitChoiceFilter
from governance.roles import sees_everything
from villages.models import County, Township, Village
from villages.selectors import counties_visible_to, townships_visible_to, villages_visible_to
from villages.widgets import FollowingVillageSelect


def township_choices(request):
    """Townships the user may read, for any list's township filter. Another township's code is then
    "not a valid choice", so a filter never reaches outside the jurisdiction. Ended townships stay
    on offer: records keep pointing at the unit they were made for."""
    return townships_visible_to(request.user).order_by("code") if request else Township.objects.none()


def village_choices(request):
    """Villages the user may read, for any list's village filter: only the chosen township's once
    a township is chosen (``?township=``), so the village filter follows the township filter even
    without JavaScript."""
    if not request:
        return Village.objects.none()
    villages = villages_visible_to(request.user).order_by("code")
    township = request.GET.get("township", "")
    if _is_code(township):
        return villages.filter(township__code=township)
    if sees_everything(request.user):
        # A province has 26,000 villages: an admin picks a township first (the picker then loads its
        # villages); a village already chosen (a shared link) stays valid and shown.
        village = request.GET.get("village", "")
        return villages.filter(code=village) if _is_code(village) else villages.none()
    return villages


def _is_code(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) == 12


def township_filter(field_name: str = "township") -> django_filters.ModelChoiceFilter:
    """The township filter of a list, addressed by division code (``?township=513301101000``)."""
    return UnitChoiceFilter(
        label=_("乡镇（街道）"),
        field_name=field_name,
        queryset=township_choices,
        to_field_name="code",
        empty_label=_("全部乡镇"),
    )


def village_filter(field_name: str = "village") -> django_filters.ModelChoiceFilter:
    """The village filter of a list, addressed by division code (``?village=513301101201``)."""
    return UnitChoiceFilter(
        label=_("村（社区）"),
        field_name=field_name,
        queryset=village_choices,
        to_field_name="code",
        empty_label=_("全部村（社区）"),
        widget=FollowingVillageSelect(),
    )


def county_choices(request):
    """Counties the user may read, for any list's county filter (an admin's first level)."""
    return counties_visible_to(request.user).order_by("code") if request else County.objects.none()


def county_filter(field_name: str = "township__county") -> django_filters.ModelChoiceFilter:
    """The county filter of a list, addressed by division code (``?county=513301000000``); only
    admins keep it (``fit_unit_filters``)."""
    return UnitChoiceFilter(
        label=_("县（市）"),
        field_name=field_name,
        queryset=county_choices,
        to_field_name="code",
        empty_label=_("全部县（市）"),
    )


def fit_unit_filters(filterset) -> None:
    """The county and township filters as each role needs them, for any list's ``__init__``: one
    county's officials and staff have no county to choose (the filter is removed); an admin, who
    reads a province (3,111 townships: a drop-down unusable and a third of the page's time), picks
    among the chosen county's townships when ``?county=`` names one, else types the township's
    code (still validated against what they may see)."""
    admin = bool(filterset.request and sees_everything(filterset.request.user))
    if not admin:
        filterset.filters.pop("county", None)
        return
    field = filterset.form.fields["township"]
    county = filterset.data.get("county") or ""
    if "county" in filterset.filters and _is_code(county):
        field.queryset = field.queryset.filter(county__code=county)
        return
    field.widget = forms.TextInput(attrs={"placeholder": _("12位区划代码"), "inputmode": "numeric"})
    field.help_text = _("管理员可查看的乡镇过多，请输入乡镇区划代码。")


class VillageFilter(django_filters.FilterSet):
    county = county_filter()
    township = township_filter()
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Village.Kind.choices, empty_label=_("全部类型")
    )
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains", max_length=60)
    validity = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("current", _("现行")), ("ended", _("已撤销"))],
        empty_label=_("全部"),
        method="filter_validity",
    )

    class Meta:
        model = Village
        fields = ["county", "township", "kind", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_unit_filters(self)

    def filter_validity(self, queryset, name, value):
        return queryset.filter(valid_to__isnull=value == "current")
