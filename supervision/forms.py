"""Forms own input validation; the rules themselves live in services (called from the views)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from governance.fields import DateField
from governance.versioning import VersionedForm
from supervision import rules
from supervision.models import AREA_FIELDS, Area, Rectification, Report, ReportingPeriod
from supervision.services import PERIOD_IN_FUTURE
from supervision.widgets import PeriodSelect

TEXT_FIELDS = [*AREA_FIELDS.values(), "summary"]
PERIOD_FORMAT = gettext_noop("期次格式不正确：月报如 2026-10，季度汇总如 2026-Q3，年度述职如 2026。")


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

    def __init__(self, *args, villages, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.existing: Report | None = None
        self.submitting = submitting

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
        if self.submitting and rules.is_empty(cleaned):
            self.add_error(None, _(rules.EMPTY_REPORT))
        return cleaned


class ReportEditForm(VersionedForm, FindingsForm):
    class Meta(FindingsForm.Meta):
        fields = [*TEXT_FIELDS]


class RectificationForm(forms.ModelForm):
    """A rectification item of ``report``; the date rules are supervision/rules.py's, shown on the
    fields as help text and as errors next to them."""

    class Meta:
        model = Rectification
        fields = ["area", "problem", "responsible", "found_on", "deadline"]
        widgets = {
            "problem": _textarea(),
            "found_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"found_on": DateField, "deadline": DateField}

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["area"].choices = Area.choices
        if report is not None:
            earliest, _message = rules.found_on_earliest(report=report)
            self.fields["found_on"].help_text = _("不早于 %(start)s，不晚于今天。") % {
                "start": earliest.isoformat()
            }
            self.fields["deadline"].help_text = _("不早于发现日期，不晚于发现日期后 %(years)s 年。") % {
                "years": rules.MAX_DEADLINE_YEARS
            }

    def clean(self):
        cleaned = super().clean()
        found_on, deadline = cleaned.get("found_on"), cleaned.get("deadline")
        if self.report is not None:
            errors = rules.rectification_date_errors(
                report=self.report, found_on=found_on, deadline=deadline, today=timezone.localdate()
            )
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # The model's check constraints are the services' job (they run full_clean on save);
        # the instance here has no village or report yet.
        pass


class CorrectionForm(RectificationForm):
    """更正: the item's fields as recorded plus the required reason."""

    reason = forms.CharField(
        label=_("更正原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("更正会记入整改事项的历史，审核人员可以看到。"),
    )

    def clean(self):
        # A date kept as recorded is not re-judged (the service does the same); a changed one is.
        cleaned = forms.ModelForm.clean(self)
        item = self.instance
        found_on, deadline = cleaned.get("found_on"), cleaned.get("deadline")
        if self.report is not None:
            errors = rules.rectification_date_errors(
                report=self.report, found_on=found_on, deadline=deadline, today=timezone.localdate()
            )
            found_changed = found_on != item.found_on
            for field, messages in errors.items():
                changed = (
                    found_changed if field == "found_on" else (found_changed or deadline != item.deadline)
                )
                if changed:
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


class ReportCorrectionForm(VersionedForm, FindingsForm):
    """更正 of an approved report: the findings and summary as approved, plus the required reason."""

    reason = forms.CharField(
        label=_("更正原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("更正会记入报告的历史，报告仍为已通过，县级审核人员会在报告页面看到这次更正。"),
    )

    class Meta(FindingsForm.Meta):
        fields = [*TEXT_FIELDS]

    def _post_clean(self):
        # The report is saved by the service (report_correct), which runs the model's checks.
        pass


class SubmitForm(forms.Form):
    """The confirmation step of 提交 / 重新提交; asks for the early reason only when it is needed."""

    early_reason = forms.CharField(
        label=_("提前提交原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, report, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.now = now
        self.early = rules.is_early(report.period, now)
        if self.early:
            self.fields["early_reason"].required = True
            self.fields["early_reason"].help_text = rules.early_help(report.period)
            self.fields["early_reason"].initial = report.early_reason
        else:
            del self.fields["early_reason"]

    def clean(self):
        cleaned = super().clean()
        if rules.report_is_empty(self.report):
            raise forms.ValidationError(_(rules.EMPTY_REPORT))
        return cleaned


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("销号说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
