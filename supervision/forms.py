"""Forms own input validation; the rules themselves live in services (called from the views)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.fields import DateField
from governance.versioning import VersionedForm
from supervision.models import AREA_FIELDS, Area, Rectification, Report, ReportingPeriod
from supervision.services import DEADLINE_BEFORE_FINDING, FOUND_IN_FUTURE, PERIOD_IN_FUTURE
from supervision.widgets import PeriodSelect

TEXT_FIELDS = [*AREA_FIELDS.values(), "summary"]
PERIOD_FORMAT = "期次格式不正确：月报如 2026-10，季度汇总如 2026-Q3，年度述职如 2026。"


def _textarea():
    return forms.Textarea(attrs={"rows": 3})


class FindingsForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = TEXT_FIELDS
        widgets = {field: _textarea() for field in TEXT_FIELDS}


class ReportCreateForm(FindingsForm):
    """New report: village and period, then the findings. A duplicate is reported with a link."""

    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None, to_field_name="code")
    period = forms.CharField(label=_("期次"), widget=PeriodSelect(blank_label=_("请选择期次")))

    # village and period are not model fields of the form (the service resolves the period row).
    field_order = ["village", "period"]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.existing: Report | None = None

    def clean_period(self):
        parsed = ReportingPeriod.parse_key(self.cleaned_data["period"].strip())
        if parsed is None:
            raise forms.ValidationError(_(PERIOD_FORMAT))
        kind, year, number = parsed
        start, _end = ReportingPeriod.bounds(kind, year, number)
        if start > timezone.localdate():
            label = ReportingPeriod.build(kind, year, number).label
            raise forms.ValidationError(_(PERIOD_IN_FUTURE) % {"period": label, "start": start.isoformat()})
        return parsed

    def clean(self):
        cleaned = super().clean()
        village, parsed = cleaned.get("village"), cleaned.get("period")
        if village and parsed:
            kind, year, number = parsed
            self.existing = Report.objects.filter(
                village=village, period__kind=kind, period__year=year, period__number=number
            ).first()
            if self.existing:
                self.add_error(
                    "period",
                    _("该村%(period)s的%(kind)s已存在。")
                    % {"period": self.existing.period.label, "kind": self.existing.period.get_kind_display()},
                )
        return cleaned


class ReportEditForm(VersionedForm, FindingsForm):
    class Meta(FindingsForm.Meta):
        fields = [*TEXT_FIELDS]


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["area", "problem", "responsible", "found_on", "deadline"]
        widgets = {
            "problem": _textarea(),
            "found_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }
        field_classes = {"found_on": DateField, "deadline": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = Area.choices

    def clean(self):
        cleaned = super().clean()
        found_on, deadline = cleaned.get("found_on"), cleaned.get("deadline")
        if found_on and found_on > timezone.localdate():
            self.add_error("found_on", _(FOUND_IN_FUTURE))
        if found_on and deadline and deadline < found_on:
            self.add_error("deadline", _(DEADLINE_BEFORE_FINDING))
        return cleaned

    def _post_clean(self):
        # The model's check constraints are the services' job (they run full_clean on save);
        # the instance here has no village or report yet.
        pass


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("销号说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
