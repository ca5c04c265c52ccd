from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compacts.models import TEXT_MAX, Kind
from decisions.models import Matter
from governance.fields import DateField
from governance.privacy import reject_personal
from governance.versioning import VersionedForm

TEXT_HELP = _("全文会在村务公开栏公开，请勿填写身份证号码、电话号码。")


class VersionForm(forms.Form):
    """A new version of a village's 村规民约 or 文明公约."""

    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    adopted_on = DateField(label=_("通过日期"), help_text=_("须晚于本村同类现行版本的通过日期。"))
    matter = forms.ModelChoiceField(
        label=_("通过该版本的“四议两公开”事项"),
        queryset=Matter.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("（无）"),
        help_text=_("只列出本村已形成决议的事项；决议日期不能晚于通过日期。"),
    )
    text = forms.CharField(
        label=_("全文"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[reject_personal],
        help_text=TEXT_HELP,
    )
    upload = forms.FileField(label=_("文本扫描件或照片（JPEG、PNG或PDF，可不传）"), required=False)

    def __init__(self, *args, matters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters if matters is not None else Matter.objects.none()
        self.fields["matter"].label_from_instance = lambda m: f"{m.resolved_on:%Y-%m-%d} {m.title}"
        if not self.is_bound:
            self.initial.setdefault("adopted_on", timezone.localdate())


class CorrectionForm(VersionedForm):
    """Correct a recorded version's text or adopted date, with the reason."""

    adopted_on = DateField(label=_("通过日期"))
    text = forms.CharField(
        label=_("全文"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[reject_personal],
        help_text=TEXT_HELP,
    )
    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("说明"), max_length=80, help_text=_("如：村民代表会议通过的文本"))
    upload = forms.FileField(label=_("文件（JPEG、PNG或PDF）"))
