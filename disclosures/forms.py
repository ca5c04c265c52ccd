from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from disclosures import services
from disclosures.models import AMOUNT, ZERO, Category, FinanceLine
from governance.fields import DateField
from governance.privacy import reject_personal
from governance.versioning import VersionedForm

MAX_LINES = 60


def _amount(label, **kwargs):
    return forms.DecimalField(
        label=label, min_value=ZERO, max_digits=AMOUNT["max_digits"], decimal_places=2, **kwargs
    )


class DisclosureForm(VersionedForm):
    """A draft: village (when creating), category, title, text, posted date, period and, for a
    finance disclosure, the stated totals (the lines are the formset beside it)."""

    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None, to_field_name="code")
    category = forms.ChoiceField(label=_("公开类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=200, validators=[reject_personal])
    text = forms.CharField(
        label=_("公开内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_personal],
        help_text=_("会在村务公开栏公开：请勿填写身份证号码或电话号码。"),
    )
    posted_on = DateField(label=_("公开日期"))
    period_start = DateField(label=_("所属期起"))
    period_end = DateField(label=_("所属期止"))
    income_total = _amount(
        _("收入合计（元）"), required=False, help_text=_("财务公开必填，须等于各收入明细之和。")
    )
    expenditure_total = _amount(
        _("支出合计（元）"), required=False, help_text=_("财务公开必填，须等于各支出明细之和。")
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = kwargs.get("record")
        if record is not None and record.pk is not None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages
        if not self.is_bound:
            self.initial.setdefault("posted_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        error = services.period_error(data.get("period_start"), data.get("period_end"))
        if error:
            self.add_error("period_end", error)
        if data.get("category") == Category.FINANCE:
            for name in ("income_total", "expenditure_total"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("财务公开须填写此项。"))
        return data


class FinanceLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("收支"), choices=[("", "—"), *FinanceLine.Kind.choices])
    item = forms.CharField(label=_("项目"), max_length=100, validators=[reject_personal])
    amount = _amount(_("金额（元）"))


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled lines (blank extra rows and rows marked for deletion left out)."""
        return [
            {k: form.cleaned_data[k] for k in ("kind", "item", "amount")}
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


LineFormSet = forms.formset_factory(
    FinanceLineForm,
    formset=BaseLineFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
)


def line_formset(data=None, *, disclosure=None) -> BaseLineFormSet:
    initial = None
    if disclosure is not None and data is None:
        initial = [
            {"kind": line.kind, "item": line.item, "amount": line.amount} for line in disclosure.lines.all()
        ]
    return LineFormSet(data, initial=initial, prefix="lines")


def check_totals(form: DisclosureForm, formset: BaseLineFormSet) -> bool:
    """The totals rule on the page: each stated total equals the sum of its lines (else an error
    naming the difference on the total's field); lines only on a finance disclosure."""
    if not (form.is_valid() and formset.is_valid()):
        return False
    data, lines = form.cleaned_data, formset.lines()
    if data["category"] != Category.FINANCE:
        if lines:
            form.add_error(None, gettext(services.LINES_NOT_FINANCE))
            return False
        return True
    errors = services.total_errors(
        income_total=data["income_total"], expenditure_total=data["expenditure_total"], lines=lines
    )
    for name, message in errors.items():
        form.add_error(name, message)
    return not errors


class CorrectionForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200, validators=[reject_personal])
    text = forms.CharField(
        label=_("公开内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_personal],
    )
    posted_on = DateField(label=_("公开日期"))
    period_start = DateField(label=_("所属期起"))
    period_end = DateField(label=_("所属期止"))
    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        error = services.period_error(data.get("period_start"), data.get("period_end"))
        if error:
            self.add_error("period_end", error)
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
