"""人员花名册: the people roster, row by row through the portal's own ``cadres.forms.PersonForm``
(fields, choices, date bounds, phone format and the GB 11643 ID-number rules of
``cadres.idnumbers``), so an imported row is refused with the same words as the form."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import idnumbers
from cadres.forms import PersonForm
from cadres.models import Education, Person, Sex
from governance.versioning import VersionedForm
from imports.workbook import NOTE_ALL_OR_NONE, NOTE_HEADER, VILLAGE_OUTSIDE, Column, as_date_text, cell_text

# Headers are the file format: fixed Chinese text, whatever the interface language.
NAME, SEX, ETHNICITY, BIRTH, ID_NUMBER, EDUCATION, PHONE, VILLAGE = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号码",
    "文化程度",
    "手机号",
    "户籍所在村",
)
TAGS = {
    "返乡农民工": "is_returning_migrant",
    "大中专毕业生": "is_college_graduate",
    "退伍军人": "is_veteran",
    "致富能手": "is_wealth_expert",
}
FIELD_OF = {
    NAME: "name",
    SEX: "sex",
    ETHNICITY: "ethnicity",
    BIRTH: "birth_date",
    ID_NUMBER: "id_number",
    EDUCATION: "education",
    PHONE: "phone",
    VILLAGE: "home_village",
    **TAGS,
}
HEADER_OF = {name: header for header, name in FIELD_OF.items()}
HEADERS = list(FIELD_OF)
YES, NO = "是", "否"

NOT_YES_NO = gettext_lazy("应填“是”或“否”（留空为“否”）。")
ID_AS_NUMBER = gettext_lazy(
    "身份证号码被存成了数字（Excel会把末几位变成0），请把该列设为“文本”后重新输入号码。"
)
DUPLICATE_IN_FILE = gettext_lazy("与第 %(row)s 行的身份证号码重复。")
REGISTERED_DIFFERENT = gettext_lazy(
    "该身份证号码已登记为%(name)s（%(village)s），表中的%(fields)s与登记的不同：请在人员页面修改，或删去此行。"
)


def columns(villages: list[str]) -> list[Column]:
    return [
        Column(NAME, _("本人姓名。"), required=True),
        Column(
            SEX,
            _("男或女（下拉选择）。须与身份证号码第17位一致（奇数为男）。"),
            True,
            [str(c.label) for c in Sex],
        ),
        Column(ETHNICITY, _("如藏族、汉族、彝族。"), required=True),
        Column(BIRTH, _("日期格式，如2026-01-31。须与身份证号码中的出生日期一致。"), True, date=True),
        Column(ID_NUMBER, _("18位居民身份证号码，末位可为X；请以文本格式填写。"), True, text=True, width=22),
        Column(EDUCATION, _("下拉选择。"), True, [str(c.label) for c in Education]),
        Column(PHONE, _("11位手机号，或带区号的固定电话（如0836-2812345）；可留空。"), text=True),
        Column(VILLAGE, _("本乡镇的村（社区）名称（下拉选择）。"), True, villages, width=20),
        *(Column(header, _("是或否（下拉选择），留空为否。"), False, [YES, NO], width=12) for header in TAGS),
    ]


def example_row(villages: list[str]) -> list:
    import datetime as dt

    return [
        _("示例：扎西（此行不导入）"),
        str(Sex.MALE.label),
        "藏族",
        dt.date(1980, 1, 1),
        idnumbers.make_id_number(area="513301", birth_date=dt.date(1980, 1, 1), sequence=1),
        str(Education.SENIOR.label),
        "13800000000",
        villages[0] if villages else "",
        YES,
        NO,
        NO,
        NO,
    ]


NOTES = [
    NOTE_HEADER,
    gettext_lazy("身份证号码已登记且信息相同的人员不重复登记（显示为“无变化”）。"),
    NOTE_ALL_OR_NONE,
]


class VillageByName(forms.Field):
    """The home village from a preloaded map of the user's own villages (name or 12-digit code):
    no query per row, and a village of another township is refused by name."""

    def __init__(self, *, villages: dict, township: str, **kwargs):
        self.villages, self.township = villages, township
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        village = self.villages.get(text)
        if village is None:
            raise ValidationError(VILLAGE_OUTSIDE, params={"value": text, "township": self.township})
        return village


class PersonRowForm(PersonForm):
    """``PersonForm`` for one spreadsheet row: the same fields and ``clean()`` (ID-number rules);
    only the village lookup differs (``VillageByName``). Build the class for a file with
    ``row_form_class``: 10,000 rows then share one prepared village field instead of building a
    scoped queryset per row."""

    def __init__(self, *args, **kwargs):
        # PersonForm.__init__ only puts in the scoped village list (done once in row_form_class)
        # and the edit-mode ID help, VersionedForm's drops the version field (row_form_class leaves
        # it out): a row always creates.
        super(VersionedForm, self).__init__(*args, **kwargs)

    def _get_validation_exclusions(self):
        # The model's own validation still runs (the phone format lives there), except the
        # village's per-row existence query: it is one of the user's own villages, already loaded.
        return super()._get_validation_exclusions() | {"home_village"}


class SharedFields(dict):
    """Form fields shared by every row form of one file. A form deep-copies its fields so that one
    instance may change them without touching the next; row forms never change theirs, and the
    copy (choices, widgets, validators) was half the time of checking a 10,000-row file."""

    def __deepcopy__(self, memo):
        return self


def row_form_class(*, villages: dict, township: str) -> type[PersonRowForm]:
    label = PersonRowForm.base_fields["home_village"].label
    form_class = type("PersonRowForm", (PersonRowForm,), {})
    form_class.base_fields = SharedFields(
        {
            **{name: copy.deepcopy(f) for name, f in PersonRowForm.base_fields.items() if name != "version"},
            "home_village": VillageByName(villages=villages, township=township, label=label, required=True),
        }
    )
    return form_class


def form_data(values: dict, *, sexes: dict, educations: dict) -> tuple[dict, dict]:
    """(form data, errors by field) for one row of ``{header: cell value}``. ``sexes`` and
    ``educations`` come from ``_choices``; a value not in them goes to the form as typed, which
    refuses it with its own "not one of the choices" message."""
    data, errors = {}, {}
    for header, name in FIELD_OF.items():
        value = values.get(header)
        if name == "birth_date":
            data[name] = as_date_text(value)
        elif name == "sex":
            data[name] = sexes.get(cell_text(value), cell_text(value))
        elif name == "education":
            data[name] = educations.get(cell_text(value), cell_text(value))
        elif name == "id_number" and isinstance(value, (int, float)):
            errors[name] = str(ID_AS_NUMBER)
            data[name] = ""
        elif name in TAGS.values():
            text = cell_text(value)
            if text not in (YES, NO, ""):
                errors[name] = str(NOT_YES_NO)
            if text == YES:
                data[name] = "on"
        else:
            data[name] = cell_text(value)
    return data, errors


# Compared to decide "unchanged": everything the roster holds about a person.
COMPARED = [
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "education",
    "phone",
    "home_village_id",
    *TAGS.values(),
]


def differences(person: Person, cleaned: dict) -> list[str]:
    """Headers of the columns where the registered ``person`` differs from a row."""
    changed = []
    for name in COMPARED:
        new = cleaned["home_village"].pk if name == "home_village_id" else cleaned[name]
        if getattr(person, name) != new:
            changed.append(HEADER_OF["home_village" if name == "home_village_id" else name])
    return changed
