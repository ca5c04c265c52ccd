from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.fields import EARLIEST_YEAR, DateField
from governance.versioning import VersionedForm
from standards.models import NOTE_FIELDS, SCORE_FIELDS, Area, Rule


class RuleForm(VersionedForm):
    area = forms.ChoiceField(label=_("领域"), choices=Area.choices)
    code = forms.CharField(label=_("编号"), max_length=20, help_text=_("在本县（市）内唯一，如 ZZYX-01。"))
    title = forms.CharField(label=_("规范名称"), max_length=200)
    is_example = forms.BooleanField(label=_("示例（演示用，非正式文件）"), required=False)


class RuleRetireForm(forms.Form):
    """Nothing to type: the confirmation page says what retiring does."""


class AdoptForm(forms.Form):
    rules = forms.ModelMultipleChoiceField(
        label=_("采纳的规范"),
        queryset=Rule.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    adopted_on = DateField(label=_("采纳日期"))
    note = forms.CharField(
        label=_("佐证说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：制度上墙照片、会议记录编号。佐证说明和佐证材料至少填一项。"),
    )
    upload = forms.FileField(label=_("佐证材料（JPEG、PNG或PDF，可不传）"), required=False)

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = rules if rules is not None else Rule.objects.none()
        self.fields["rules"].label_from_instance = lambda rule: f"{rule.code} {rule.title}"
        if not self.is_bound:
            self.initial.setdefault("adopted_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        if not (data.get("note") or "").strip() and not data.get("upload"):
            self.add_error("note", _("请填写佐证说明或上传佐证材料。"))
        return data


class AdoptionEditForm(VersionedForm):
    adopted_on = DateField(label=_("采纳日期"))
    note = forms.CharField(
        label=_("佐证说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("说明"), max_length=80, help_text=_("如：制度上墙照片"))
    upload = forms.FileField(label=_("文件（JPEG、PNG或PDF）"))


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, EARLIEST_YEAR - 1, -1)]


class ReviewForm(VersionedForm):
    """The six scores (0-100) and evidence notes, and the assessor. Creating also picks the branch
    and the year."""

    branch = forms.ModelChoiceField(label=_("党组织"), queryset=None)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    assessor = forms.CharField(label=_("考评人"), max_length=40)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = kwargs.get("record")
        if record is not None and record.pk is not None:
            del self.fields["branch"], self.fields["year"]
        else:
            self.fields["branch"].queryset = branches
        for area in Area:
            self.fields[SCORE_FIELDS[area]] = forms.IntegerField(
                label=_("%(area)s得分") % {"area": area.label},
                min_value=0,
                max_value=100,
                help_text=_("0-100分"),
            )
            self.fields[NOTE_FIELDS[area]] = forms.CharField(
                label=_("%(area)s佐证") % {"area": area.label},
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # The assessor last, after the six areas.
        self.fields["assessor"] = self.fields.pop("assessor")


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
