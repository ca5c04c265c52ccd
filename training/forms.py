from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms import PersonChoiceField, with_current_posts
from governance.fields import DateField
from governance.versioning import VersionedForm
from training.models import MAX_HOURS, MIN_HOURS, AttendanceStatus, Audience
from training.services import END_BEFORE_START


class ClassForm(VersionedForm):
    """A class's details. Creating by an admin also picks the county (county-organised classes);
    county officials and township staff organise for their own county or township."""

    county = forms.ModelChoiceField(label=_("主办县（市）"), queryset=None, to_field_name="code")
    title = forms.CharField(label=_("培训班名称"), max_length=120)
    start_date = DateField(label=_("开班日期"))
    end_date = DateField(label=_("结业日期"))
    place = forms.CharField(label=_("培训地点"), max_length=120)
    hours = forms.DecimalField(
        label=_("学时"), min_value=MIN_HOURS, max_value=MAX_HOURS, max_digits=5, decimal_places=1
    )
    audience = forms.MultipleChoiceField(
        label=_("参训对象"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("哪些职务的人员应当参训（可多选）。"),
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is None:
            del self.fields["county"]
        else:
            self.fields["county"].queryset = counties

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _(END_BEFORE_START))
        return data


STATUS_CHOICES = [("", _("未登记")), *AttendanceStatus.choices]


class AttendanceForm(forms.Form):
    """Attendance of many people in one form: for each row of the class's list (expected audience
    and those already recorded) a status (参训 / 缺席 / 未登记) and a reason when absent, plus one
    other person of the county picked by name."""

    other_person = PersonChoiceField(
        label=_("其他参训人员"), queryset=None, required=False, to_field_name="public_id"
    )
    other_status = forms.ChoiceField(
        label=_("其他人员出勤"), choices=AttendanceStatus.choices, required=False
    )
    other_reason = forms.CharField(label=_("其他人员缺席原因"), max_length=200, required=False)

    def __init__(self, *args, rows, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["other_person"].queryset = with_current_posts(
            people.order_by("home_village__code", "name")
        )
        self.fields["other_person"].help_text = _("名单以外的本县（市）人员，输入姓名查找。")
        for row in rows:
            key = row.person.public_id.hex
            attendance = row.attendance
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=row.person.name, choices=STATUS_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("缺席原因"),
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={"aria-label": _("%(name)s缺席原因") % {"name": row.person.name}}
                ),
            )
            if attendance is not None and not self.is_bound:
                self.initial[f"status_{key}"] = attendance.status
                self.initial[f"reason_{key}"] = attendance.absence_reason
            row.status_field = f"status_{key}"
            row.reason_field = f"reason_{key}"
        self.fields = {
            **{k: v for k, v in self.fields.items() if not k.startswith("other_")},
            **{k: v for k, v in self.fields.items() if k.startswith("other_")},
        }

    def bound_rows(self):
        return [(row, self[row.status_field], self[row.reason_field]) for row in self.rows]

    def clean(self):
        data = super().clean()
        for row in self.rows:
            if (
                data.get(row.status_field) == AttendanceStatus.ABSENT
                and not (data.get(row.reason_field) or "").strip()
            ):
                self.add_error(row.reason_field, _("缺席须填写原因。"))
        other = data.get("other_person")
        if other is not None:
            if not data.get("other_status"):
                self.add_error("other_status", _("请选择该人员的出勤情况。"))
            elif (
                data["other_status"] == AttendanceStatus.ABSENT
                and not (data.get("other_reason") or "").strip()
            ):
                self.add_error("other_reason", _("缺席须填写原因。"))
        return data

    def entries(self) -> list[dict]:
        """What to record: each row with a status chosen (unchanged rows included; the service
        skips them), and the other person."""
        data = self.cleaned_data
        entries = []
        for row in self.rows:
            status = data.get(row.status_field)
            if status:
                entries.append(
                    {"person": row.person, "status": status, "reason": data.get(row.reason_field, "")}
                )
        if data.get("other_person") is not None:
            entries.append(
                {
                    "person": data["other_person"],
                    "status": data["other_status"],
                    "reason": data.get("other_reason", ""),
                }
            )
        return entries
