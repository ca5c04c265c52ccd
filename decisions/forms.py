"""Forms of the decisions pages. They check input types and required fields; the rules (order, dates,
thresholds) live in the services, whose errors come back onto the same field names."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models import Category, MeetingType
from decisions.services import Vote
from governance.fields import DateField
from governance.versioning import VersionedForm
from villages.selectors import villages_visible_to

MERGE_NEEDS_VOTES = _("合并召开时须填写商议的到会和表决人数。")


class DateInput(forms.DateInput):
    """The browser's date picker, which needs ISO dates whatever the display locale."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's argument name)
        super().__init__(attrs=attrs, format=format)


MEETING_DATE = _("会议日期")


def _date_field(label=MEETING_DATE):
    return DateField(label=label, widget=DateInput, initial=timezone.localdate)


def _count_field(label, required=True, help_text=""):
    return forms.IntegerField(
        label=label, min_value=0, max_value=100000, required=required, help_text=help_text
    )


class MatterForm(forms.Form):
    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None, to_field_name="code")
    title = forms.CharField(label=_("事项名称"), max_length=120)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    description = forms.CharField(label=_("事项内容"), max_length=1500, widget=forms.Textarea)
    planned_completion = DateField(
        label=_("计划完成日期"),
        widget=DateInput,
        help_text=_("可为今后的日期；补录的事项最早可为录入日前一年，且不早于本村设立日期。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = (
            villages_visible_to(user).filter(valid_to__isnull=True).order_by("township__code", "code")
        )


class MatterEditForm(VersionedForm, MatterForm):
    """Corrections before the proposal: everything but the village (which decides who sees it)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["village"]


class VoteForm(forms.Form):
    held_on = _date_field()
    members_due = _count_field(_("应到人数"))
    present = _count_field(_("实到人数"))
    votes_for = _count_field(_("赞成票"))
    votes_against = _count_field(_("反对票"))
    votes_abstain = _count_field(_("弃权票"))
    text = forms.CharField(label=_("会议纪要摘要"), max_length=1500, required=False, widget=forms.Textarea)

    def vote(self) -> Vote:
        data = self.cleaned_data
        return Vote(
            members_due=data["members_due"],
            present=data["present"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
        )


class ProposeForm(forms.Form):
    held_on = _date_field()
    text = forms.CharField(label=_("提议内容"), max_length=1500, widget=forms.Textarea)
    merge = forms.BooleanField(
        label=_("提议与商议合并为一次会议（仅限“一肩挑”的村）"),
        required=False,
    )
    members_due = _count_field(_("商议应到人数（“两委”成员）"), required=False)
    present = _count_field(_("商议实到人数"), required=False)
    votes_for = _count_field(_("赞成票"), required=False)
    votes_against = _count_field(_("反对票"), required=False)
    votes_abstain = _count_field(_("弃权票"), required=False)

    VOTE_FIELDS = ("members_due", "present", "votes_for", "votes_against", "votes_abstain")

    def __init__(self, *args, allow_merge: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_merge:
            for name in ("merge", *self.VOTE_FIELDS):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("merge"):
            for name in self.VOTE_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, MERGE_NEEDS_VOTES)
        return data

    def merged_vote(self) -> Vote | None:
        data = self.cleaned_data
        if not data.get("merge"):
            return None
        return Vote(**{name: data[name] for name in self.VOTE_FIELDS})


class ConsultForm(VoteForm):
    members_due = _count_field(_("应到人数（“两委”成员）"))


class ReviewForm(VoteForm):
    members_due = _count_field(_("应到人数（有表决权的党员）"))


class ResolveForm(VoteForm):
    meeting_type = forms.ChoiceField(label=_("会议类型"), choices=MeetingType.choices)
    members_due = _count_field(
        _("应到人数"), help_text=_("村民会议：本村18周岁以上村民人数；村民代表会议：村民代表人数。")
    )
    households = _count_field(_("本村户数（村民会议填写）"), required=False)
    households_represented = _count_field(_("到会户代表户数（村民会议填写）"), required=False)

    field_order = [
        "held_on",
        "meeting_type",
        "members_due",
        "present",
        "households",
        "households_represented",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "text",
    ]


class DiscloseResolutionForm(forms.Form):
    held_on = _date_field(_("公开日期"))
    place = forms.CharField(label=_("公开地点"), max_length=80, initial=_("村务公开栏"))
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=365)


class DiscloseResultForm(forms.Form):
    held_on = _date_field(_("公开日期"))
    place = forms.CharField(label=_("公开地点"), max_length=80, initial=_("村务公开栏"), required=False)
    outcome = forms.CharField(label=_("实施结果"), max_length=1500, widget=forms.Textarea)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("说明"), max_length=80, help_text=_("如：商议会议记录扫描件、公示照片"))
    upload = forms.FileField(label=_("文件（JPEG、PNG或PDF）"))


def show_date_rule(form, hint: str, *, earliest=None, latest=None) -> None:
    """Put the date rule of ``held_on`` next to the field (help text) and on the date picker."""
    field = form.fields.get("held_on")
    if field is None:
        return
    field.help_text = hint
    if earliest is not None:
        field.widget.attrs["min"] = earliest.isoformat()
    if latest is not None:
        field.widget.attrs["max"] = latest.isoformat()


CORRECTION_LABELS = {
    "held_on": _("日期"),
    "text": _("内容摘要"),
    "members_due": _("应到人数"),
    "present": _("实到人数"),
    "votes_for": _("赞成票"),
    "votes_against": _("反对票"),
    "votes_abstain": _("弃权票"),
    "households": _("本村户数"),
    "households_represented": _("到会户代表户数"),
    "place": _("公开地点"),
    "notice_days": _("公示天数"),
}


class StepCorrectionForm(forms.Form):
    """A correction of one recorded step: the fields it recorded (``fields``) and a required reason."""

    reason = forms.CharField(
        label=_("更正原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("必填，将与更正人、更正时间一起显示在事项页面上。"),
    )

    def __init__(self, *args, fields, step, **kwargs):
        kwargs.setdefault("initial", {name: getattr(step, name) for name in fields})
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        for name in fields:
            label = CORRECTION_LABELS[name]
            if name == "held_on":
                self.fields[name] = DateField(label=label, widget=DateInput)
            elif name in ("text",):
                self.fields[name] = forms.CharField(
                    label=label, max_length=1500, required=False, widget=forms.Textarea
                )
            elif name == "place":
                self.fields[name] = forms.CharField(label=label, max_length=80, required=False)
            elif name == "notice_days":
                self.fields[name] = forms.IntegerField(label=label, min_value=1, max_value=365)
            else:
                self.fields[name] = _count_field(label)
        self.fields["reason"] = reason
