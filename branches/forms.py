"""Forms of the branch register. They check what one form can (the season, the dates, a credit
code's check character) and show the services' rules on their fields (``apply_errors``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches import rules
from branches.creditcodes import normalise, validate_credit_code
from branches.selectors import enterprises_visible_to, linkable_villages
from governance.fields import DateField
from governance.filtering import UnitChoiceField
from governance.versioning import VersionedForm
from villages.models import PartyBranch, Village

NEW_ENTERPRISE_INCOMPLETE = _("新登记企业须同时填写企业名称和统一社会信用代码。")


def month_choices():
    return [("", _("—"))] + [(str(m), _("%(month)d月") % {"month": m}) for m in range(1, 13)]


def _month_field(label):
    return forms.TypedChoiceField(
        label=label, choices=month_choices, coerce=int, empty_value=None, required=False
    )


class CreditCodeField(forms.CharField):
    """A unified social credit code as typed: spaces dropped, letters upper-cased, checked."""

    default_validators = [validate_credit_code]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false", "class": "mono"})

    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if value else value


class VillageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.township.name} · {obj.name}"


class BranchForm(VersionedForm):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"))
    village = UnitChoiceField(
        label=_("所在村"),
        queryset=None,
        to_field_name="code",
        required=False,
        help_text=_("功能型党支部的驻地村，可不填。"),
    )
    start_date = DateField(label=_("成立日期"), required=False)
    season_start_month = _month_field(_("活动起始月份"))
    season_end_month = _month_field(_("活动结束月份"))
    season_crosses_year = forms.BooleanField(
        label=_("跨年"), required=False, help_text=_("活动季节跨越年底时勾选，如11月至次年2月。")
    )
    villages = VillageMultipleChoiceField(
        label=_("联建村（社区）"),
        queryset=None,
        to_field_name="code",
        required=False,
        help_text=_("联建党支部填写：本县（市）的村（社区），可多选。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("联建企业"),
        queryset=None,
        to_field_name="credit_code",
        required=False,
        help_text=_("村企联建党支部填写，可多选。"),
    )
    new_enterprise_name = forms.CharField(
        label=_("新登记企业名称"), max_length=100, required=False, help_text=_("联建企业尚未登记时填写。")
    )
    new_enterprise_code = CreditCodeField(label=_("新登记企业统一社会信用代码"), required=False)

    def __init__(self, *args, user, branch: PartyBranch | None = None, **kwargs):
        super().__init__(*args, record=branch, **kwargs)
        self.branch = branch
        township = user.township
        self.fields["village"].queryset = (
            township.villages.filter(valid_to__isnull=True).order_by("code")
            if township
            else Village.objects.none()
        )
        self.fields["villages"].queryset = linkable_villages(user)
        self.fields["enterprises"].queryset = enterprises_visible_to(user).order_by("name")
        if branch is None:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in PartyBranch.Kind.choices
                if value != PartyBranch.Kind.VILLAGE
            ]
        else:
            del self.fields["kind"]
            if branch.kind == PartyBranch.Kind.VILLAGE:
                del self.fields["village"]
            if not branch.is_joint:
                for name in ("villages", "enterprises", "new_enterprise_name", "new_enterprise_code"):
                    del self.fields[name]
            if not self.is_bound:
                self.initial.update(
                    name=branch.name,
                    village=branch.village.code if branch.village else None,
                    start_date=branch.start_date,
                    season_start_month=branch.season_start_month,
                    season_end_month=branch.season_end_month,
                    season_crosses_year=branch.season_crosses_year,
                    villages=[link.village.code for link in branch.village_links.select_related("village")],
                    enterprises=[
                        link.enterprise.credit_code
                        for link in branch.enterprise_links.select_related("enterprise")
                    ],
                )

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or (self.branch.kind if self.branch else "")
        for field, messages in rules.season_errors(
            kind=kind,
            start_month=data.get("season_start_month"),
            end_month=data.get("season_end_month"),
            crosses_year=bool(data.get("season_crosses_year")),
        ).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)
        if "new_enterprise_name" in self.fields:
            name, code = data.get("new_enterprise_name"), data.get("new_enterprise_code")
            if bool(name) != bool(code) and "new_enterprise_code" not in self.errors:
                self.add_error(
                    "new_enterprise_name" if not name else "new_enterprise_code", NEW_ENTERPRISE_INCOMPLETE
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "name": data["name"],
            "village": data.get("village"),
            "start_date": data.get("start_date"),
            "season_start_month": data.get("season_start_month"),
            "season_end_month": data.get("season_end_month"),
            "season_crosses_year": bool(data.get("season_crosses_year")),
        }
        if "villages" in self.fields:
            kwargs["villages"] = list(data.get("villages") or [])
            kwargs["enterprises"] = list(data.get("enterprises") or [])
            if data.get("new_enterprise_name") and data.get("new_enterprise_code"):
                kwargs["new_enterprise"] = (data["new_enterprise_name"], data["new_enterprise_code"])
        if self.branch is not None:
            kwargs["version"] = data.get("version")
            if "village" not in self.fields:
                kwargs["village"] = self.branch.village
        else:
            kwargs["kind"] = data["kind"]
        return kwargs


class BranchEndForm(VersionedForm):
    end_date = DateField(label=_("撤销日期"))


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = CreditCodeField(label=_("统一社会信用代码"), help_text=_("18位，含校验位。"))
