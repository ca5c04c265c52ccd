"""Forms for township staff. Choices are limited to what the user may see; objects are picked by
public key (village code, person UUID), never by database id. Services re-check every rule."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BLANK_CHOICE_DASH, Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from cadres import idnumbers
from cadres.models import (
    POSITIONS_BY_COMMITTEE,
    Committee,
    Integrity,
    Performance,
    Person,
    Post,
    Sex,
)
from cadres.selectors import people_visible_to, posts_visible_to
from cadres.widgets import PersonPicker
from governance.corrections import REASON_REQUIRED
from governance.fields import DateField
from governance.filtering import unit_label
from governance.versioning import VersionedForm
from villages.selectors import villages_visible_to


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


VILLAGE_LABEL = _("村（社区）")
PERSON_LABEL = _("人员")


def _village_field(user, label=VILLAGE_LABEL) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=villages_visible_to(user).filter(valid_to__isnull=True).order_by("township__code", "code"),
        to_field_name="code",
    )


# Posts listed branch first, then villagers' and supervision committee, each in rank order.
POSITION_ORDER = {
    position: rank
    for rank, position in enumerate(p for positions in POSITIONS_BY_COMMITTEE.values() for p in positions)
}


def with_current_posts(people: QuerySet[Person]) -> QuerySet[Person]:
    """People with their current posts loaded (one extra query), for ``person_choice_label``."""
    current = Post.objects.filter(end_date__isnull=True)
    return people.prefetch_related(Prefetch("posts", queryset=current, to_attr="current_posts"))


def person_choice_label(person: Person) -> str:
    """A person as "姓名 · 出生年份 · 村 · 当前职务": names repeat (扎西, 卓玛 …), so a choice also says
    when the person was born, where they live and what they hold now. Needs ``with_current_posts``."""
    current = getattr(person, "current_posts", None)
    if current is None:
        current = person.posts.filter(end_date__isnull=True)
    current = sorted(current, key=lambda post: POSITION_ORDER.get(post.position, len(POSITION_ORDER)))
    posts = str(_("、")).join(dict.fromkeys(str(post.get_position_display()) for post in current))
    return _("%(name)s · %(year)s年生 · %(village)s · %(post)s") % {
        "name": person.name,
        "year": person.birth_date.year,
        "village": unit_label(person.home_village),
        "post": posts or _("无现任职务"),
    }


class PersonChoiceField(forms.ModelChoiceField):
    widget = PersonPicker

    def label_from_instance(self, obj):
        return person_choice_label(obj)


def _person_field(
    user, label=PERSON_LABEL, *, search: dict | None = None, **kwargs
) -> forms.ModelChoiceField:
    return PersonChoiceField(
        label=label,
        queryset=with_current_posts(people_visible_to(user).order_by("home_village__code", "name")),
        to_field_name="public_id",
        widget=PersonPicker(search=search),
        **kwargs,
    )


class UnechoedTextInput(forms.TextInput):
    """A text box that never sends its value back: after an error the whole ID number is typed
    again rather than echoed into the page (and into browser caches)."""

    def format_value(self, value):
        return None


class PersonForm(VersionedForm, forms.ModelForm):
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=20,
        strip=True,
        widget=UnechoedTextInput(attrs={"autocomplete": "off"}),
        help_text=_("为保护个人信息，提交不成功时号码不会保留，须重新输入。"),
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "sex",
            "ethnicity",
            "birth_date",
            "id_number",
            "education",
            "phone",
            "home_village",
            "is_returning_migrant",
            "is_college_graduate",
            "is_veteran",
            "is_wealth_expert",
        ]
        widgets = {"birth_date": DateInput()}
        field_classes = {"birth_date": DateField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_village"] = _village_field(user, _("户籍所在村"))
        if self.instance.pk:
            # Editing: the stored number is kept unless a new one is typed; never prefilled.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("当前：%(masked)s。留空则不修改。") % {
                "masked": self.instance.id_number_masked
            }

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number:
            try:
                birth_date = cleaned.get("birth_date")
                male = cleaned["sex"] == Sex.MALE if cleaned.get("sex") else None
                cleaned["id_number"] = idnumbers.validate_id_number(number, birth_date=birth_date, male=male)
            except ValidationError as exc:
                self.add_error("id_number", exc)
        return cleaned


def _grouped_positions() -> list:
    """Positions grouped under their committee: a position names its committee, so the form asks for
    the position only (no committee/position pair to get wrong)."""
    return BLANK_CHOICE_DASH + [
        (Committee(committee).label, [(p.value, p.label) for p in positions])
        for committee, positions in POSITIONS_BY_COMMITTEE.items()
    ]


COMMITTEE_OF_POSITION = {
    position: committee for committee, positions in POSITIONS_BY_COMMITTEE.items() for position in positions
}


class PostForm(forms.Form):
    position = forms.ChoiceField(label=_("职务"), choices=_grouped_positions)
    start_date = DateField(label=_("任职日期"), widget=DateInput())
    term_end = DateField(
        label=_("任期届满日期"),
        required=False,
        widget=DateInput(),
        help_text=_("留空则按任职日期起5年计算。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(user)
        self.fields["village"] = _village_field(user)
        self.order_fields(["person", "village"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("position"):
            cleaned["committee"] = COMMITTEE_OF_POSITION[cleaned["position"]]
        return cleaned


class PostEndForm(forms.Form):
    end_date = DateField(label=_("离任日期"), widget=DateInput())


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    # No rating preselected: a rating left untouched must not be recorded as 优秀 / 好.
    performance = forms.ChoiceField(label=_("述职评议"), choices=BLANK_CHOICE_DASH + Performance.choices)
    integrity = forms.ChoiceField(label=_("述廉评议"), choices=BLANK_CHOICE_DASH + Integrity.choices)
    evaluated_on = DateField(label=_("评议日期"), widget=DateInput())
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only cadres are evaluated: people who hold or held a post (the service checks the year).
        self.fields["person"] = _person_field(user, search={"cadres": "1"})
        people = self.fields["person"].queryset
        self.fields["person"].queryset = people.filter(Exists(Post.objects.filter(person=OuterRef("pk"))))
        self.fields["village"] = _village_field(user)
        self.order_fields(["person", "village"])


class DevelopmentForm(forms.Form):
    applied_on = DateField(label=_("递交申请日期"), widget=DateInput())
    talked_on = DateField(label=_("支部谈话日期"), required=False, widget=DateInput())
    tags = forms.CharField(label=_("本地程序标签"), required=False, max_length=120)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(user)
        self.fields["village"] = _village_field(user)
        self.order_fields(["person", "village"])


class OnDateForm(forms.Form):
    on = DateField(label=_("日期"), widget=DateInput())


class TalkForm(forms.Form):
    talked_on = DateField(label=_("支部谈话日期"), widget=DateInput())


class MeetingForm(forms.Form):
    on = DateField(label=_("支部大会日期"), widget=DateInput())
    due = forms.IntegerField(label=_("应到有表决权党员数"), min_value=1)
    present = forms.IntegerField(label=_("实到有表决权党员数"), min_value=0)
    yes = forms.IntegerField(label=_("赞成票"), min_value=0)


class ExtensionForm(forms.Form):
    on = DateField(label=_("决定日期"), widget=DateInput())
    months = forms.IntegerField(label=_("延长月数"), min_value=6, max_value=12)


class ReserveForm(forms.Form):
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    recommended_on = DateField(label=_("党群推荐日期"), widget=DateInput())
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = _village_field(user)
        self.fields["person"] = _person_field(user)
        self.order_fields(["village", "plan_year", "person"])


class PairForm(forms.Form):
    on = DateField(label=_("结对日期"), widget=DateInput())

    def __init__(self, *args, user, village, exclude_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: people holding a post in the reserve cadre's village (the service re-checks the date).
        self.fields["mentor"] = _person_field(
            user,
            _("帮带干部"),
            search={"posted_in": village.code},
            help_text=_("须为结对日有在任职务的干部。"),
        )
        mentors = self.fields["mentor"].queryset
        self.fields["mentor"].queryset = (
            mentors.filter(posts__village=village, posts__end_date__isnull=True)
            .exclude(pk=getattr(exclude_person, "pk", None))
            .distinct()
        )


class AppointForm(forms.Form):
    post = forms.ModelChoiceField(
        label=_("任用职务"),
        queryset=None,
        to_field_name="public_id",
        help_text=_("先在“新增任职”中为其登记所任职务，再在此关联。"),
    )

    def __init__(self, *args, user, reserve, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts_visible_to(user).filter(
            person=reserve.person, village=reserve.village
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("退出原因"), max_length=200)


class IdLookupForm(forms.Form):
    """Exact-match search by ID number (sent by POST so the number stays out of URLs and logs)."""

    id_number = forms.CharField(
        label=_("按身份证号码查找"), max_length=20, widget=UnechoedTextInput(attrs={"autocomplete": "off"})
    )

    def clean_id_number(self):
        return idnumbers.validate_id_number(self.cleaned_data["id_number"])


class CorrectionForm(forms.Form):
    """A correction (更正) of a recorded development, reserve place, post or evaluation: the fields
    already recorded, prefilled with the recorded values, and the required reason. The service
    re-checks every rule (``services.*_correct``)."""

    def __init__(self, *args, record, user, **kwargs):
        from cadres.services import correctable_fields

        super().__init__(*args, **kwargs)
        model = type(record)
        for name in correctable_fields(record):
            field = model._meta.get_field(name)
            label = field.verbose_name
            if name == "mentor":
                form_field = _person_field(user, label, search={"posted_in": record.village.code})
                form_field.queryset = form_field.queryset.exclude(pk=record.person_id)
                self.initial.setdefault(name, record.mentor.public_id)
            elif isinstance(field, models.DateField):
                form_field = DateField(label=label, widget=DateInput())
            elif field.choices:
                form_field = forms.ChoiceField(label=label, choices=field.choices)
            elif isinstance(field, models.TextField):
                form_field = forms.CharField(label=label, required=False, widget=forms.Textarea)
            else:
                form_field = forms.IntegerField(label=label, min_value=0)
            self.fields[name] = form_field
            if name != "mentor":
                self.initial.setdefault(name, getattr(record, name))
        self.fields["reason"] = forms.CharField(
            label=_("更正原因"),
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("必填：说明原记录错在哪里、依据什么更正。将保留在记录上。"),
            error_messages={"required": _(REASON_REQUIRED)},
        )

    def clean_reason(self):
        from governance.corrections import require_reason

        try:
            return require_reason(self.cleaned_data["reason"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["reason"]) from exc
