from __future__ import annotations

import uuid

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cadres.forms import PersonChoiceField, person_choice_label, with_current_posts
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


class InlineRadios(forms.RadioSelect):
    """The radios of one attendance row, each in its label, written in Python: a county class lists
    some 300 people, and Django's template per radio cost a third of a second (as
    ``governance.filtering.QuickSelect`` for long selects)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html_join(
            "",
            '<label for="{}"><input type="{}" name="{}" value="{}"{}> {}</label> ',
            (
                (option["attrs"].get("id", ""), option["type"], option["name"], option["value"])
                + (flatatt(option["attrs"]), option["label"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )


class InlineTextInput(forms.TextInput):
    """A text box written in Python (the same markup as Django's template), for the 300 rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value_attr,
            flatatt(widget["attrs"]),
        )


def _uuids(values) -> list[uuid.UUID]:
    """The values that are UUIDs (a malformed one is the field's error, not a 500 here)."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


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

    def __init__(self, *args, rows, people, shown=(), **kwargs):
        """``people``: whom ``other_person`` accepts (the class's county); ``shown``: the people it
        offers, those the page's name search found (a county has thousands of people: listing them
        all cost a second, and no one scrolls 5,000 names)."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        field = self.fields["other_person"]
        field.queryset = people
        offered = list(shown)
        chosen = self.data.get("other_person") if self.is_bound else None
        if chosen and all(str(person.public_id) != chosen for person in offered):
            # A refused form keeps the person it was sent with on offer.
            offered += with_current_posts(people.filter(public_id__in=_uuids([chosen])))
        field.widget.choices = [("", field.empty_label)] + [
            (str(person.public_id), person_choice_label(person)) for person in offered
        ]
        field.help_text = _("名单以外的本县（市）人员：先在本节上方按姓名查找，再从结果中选择。")
        for row in rows:
            key = row.person.public_id.hex
            attendance = row.attendance
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=row.person.name, choices=STATUS_CHOICES, required=False, widget=InlineRadios
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("缺席原因"),
                max_length=200,
                required=False,
                widget=InlineTextInput(
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
