import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from governance.roles import sees_everything
from villages.models import Village
from villages.selectors import counties_visible_to, townships_visible_to


def _townships(request):
    # Only townships the user may read are offered; another township's code is "not a valid choice".
    return townships_visible_to(request.user).order_by("code") if request else Village.objects.none()


def _counties(request):
    return counties_visible_to(request.user).order_by("code") if request else Village.objects.none()


class VillageFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("县（市）"),
        field_name="township__county",
        queryset=_counties,
        to_field_name="code",
        empty_label=_("全部县（市）"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇（街道）"), queryset=_townships, to_field_name="code", empty_label=_("全部乡镇")
    )
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

    # Admins see every county: a drop-down of thousands of townships is unusable and slow to render,
    # so they type the township's code instead (still validated against what they may see).
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.request and sees_everything(self.request.user)):
            del self.filters["county"]  # one county only: nothing to choose
        else:
            township = self.form.fields["township"]
            attrs = {"placeholder": _("12位区划代码"), "inputmode": "numeric"}
            township.widget = forms.TextInput(attrs=attrs)
            township.help_text = _("管理员可查看的乡镇过多，请输入乡镇区划代码。")

    def filter_validity(self, queryset, name, value):
        return queryset.filter(valid_to__isnull=value == "current")
