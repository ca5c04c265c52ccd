"""Forms of 人民调解. Choices are limited to what the user may see; the services re-check every rule,
and the forms check the same rules first so a refused form names the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forms import PersonChoiceField, with_current_posts
from cadres.widgets import PersonPicker
from governance.fields import DateField
from governance.filtering import unit_label
from governance.forms import apply_errors
from governance.privacy import reject_personal
from governance.versioning import VersionedForm
from mediation import services
from mediation.models import CLOSED_OUTCOMES, Category, Member, Outcome


class MemberForm(forms.Form):
    person = PersonChoiceField(label=_("人员"), queryset=None, to_field_name="public_id")
    start_date = DateField(label=_("任职日期"))
    is_chair = forms.BooleanField(label=_("担任主任（原主任改为成员）"), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = with_current_posts(people.order_by("home_village__code", "name"))
        self.fields["person"].widget = PersonPicker()
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())


class MemberEndForm(forms.Form):
    end_date = DateField(label=_("离任日期"))


class MediatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member):
        role = _("主任") if obj.is_chair else _("委员")
        return f"{obj.person.name} · {unit_label(obj.committee.village)} · {role}"


class DisputeForm(VersionedForm):
    """Create (with the village) and edit (without) an open dispute."""

    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None, to_field_name="code")
    received_on = DateField(label=_("受理日期"))
    parties = forms.CharField(
        label=_("当事人"),
        max_length=200,
        help_text=_("只填姓名，1至6人，用“、”或“，”分隔，如：扎西示甲、卓玛示乙；不填身份证号码和电话。"),
    )
    category = forms.ChoiceField(label=_("纠纷类别"), choices=Category.choices)
    summary = forms.CharField(
        label=_("纠纷概要"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_personal],
        help_text=_("写清纠纷经过和各方诉求；不填身份证号码和电话（导出时会隐去）。"),
    )
    mediator = MediatorChoiceField(
        label=_("调解员"),
        queryset=None,
        to_field_name="public_id",
        help_text=_("该村人民调解委员会的成员。"),
    )

    def __init__(self, *args, villages=None, mediators=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = kwargs.get("record")
        if record is not None and record.pk is not None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages
            self.fields["village"].label_from_instance = unit_label
        self.fields["mediator"].queryset = mediators

    def clean_parties(self):
        try:
            return services.clean_parties(self.cleaned_data["parties"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["parties"]) from exc

    def clean(self):
        data = super().clean()
        village = data.get("village")
        mediator = data.get("mediator")
        if village is not None and mediator is not None and mediator.committee.village_id != village.pk:
            self.add_error("mediator", _("调解员须是所选村（社区）人民调解委员会的成员。"))
        return data


class OutcomeForm(forms.Form):
    """Closing a dispute, or correcting a closed one's outcome (then with a reason)."""

    outcome = forms.ChoiceField(
        label=_("办结结果"), choices=[(o.value, o.label) for o in Outcome if o in CLOSED_OUTCOMES]
    )
    closed_on = DateField(label=_("办结日期"), help_text=_("不能早于受理日期。"))
    agreement_on = DateField(
        label=_("达成协议日期"), required=False, help_text=_("达成协议的必填，在受理日期和办结日期之间。")
    )
    referred_to = forms.CharField(
        label=_("移送单位"),
        max_length=120,
        required=False,
        help_text=_("移送的必填，如：乡镇综治中心、司法所、人民法院。"),
    )

    def __init__(self, *args, dispute=None, **kwargs):
        self.dispute = dispute
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        outcome, closed_on = data.get("outcome"), data.get("closed_on")
        if outcome:
            data["outcome_label"] = dict(Outcome.choices).get(outcome, "")
        if self.dispute is None or not outcome or closed_on is None:
            return data
        try:
            services._check_outcome(
                self.dispute,
                outcome=outcome,
                closed_on=closed_on,
                agreement_on=data.get("agreement_on"),
                referred_to=data.get("referred_to") or "",
            )
        except ValidationError as exc:
            apply_errors(self, exc)
        return data


class CorrectionForm(OutcomeForm):
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("更正须填写原因。")},
    )


class FollowUpForm(forms.Form):
    visited_on = DateField(label=_("回访日期"))
    note = forms.CharField(
        label=_("回访情况"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_personal],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("visited_on", timezone.localdate())
