"""两委任职: two-committee posts, row by row through ``cadres.forms.PostForm`` and the real
``cadres.services.post_create`` (single-holder overlap, committee size and membership rules), so a
row is refused with the same words as the 新增任职 page. The person is found by ID number among the
user's own township's people; the name is checked against the record."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import idnumbers
from cadres.models import Position
from imports.workbook import NOTE_ALL_OR_NONE, NOTE_HEADER, VILLAGE_OUTSIDE, Column, as_date_text, cell_text

ID_NUMBER, NAME, VILLAGE, POSITION, START, TERM_END = (
    "身份证号码",
    "姓名",
    "村（社区）",
    "职务",
    "任职日期",
    "任期届满日期",
)
HEADERS = [ID_NUMBER, NAME, VILLAGE, POSITION, START, TERM_END]
HEADER_OF = {
    "person": ID_NUMBER,
    "village": VILLAGE,
    "position": POSITION,
    "start_date": START,
    "term_end": TERM_END,
}

PERSON_UNKNOWN = gettext_lazy("本乡镇没有登记这个身份证号码的人员，请先导入或登记人员。")
NAME_MISMATCH = gettext_lazy("该身份证号码登记的姓名是%(name)s，与表中的“%(given)s”不同。")
DUPLICATE_IN_FILE = gettext_lazy("与第 %(row)s 行是同一任职（同一人、村、职务和任职日期）。")

NOTES = [
    NOTE_HEADER,
    gettext_lazy("人员须已在本乡镇登记（可先导入人员花名册）；按身份证号码找到人员，姓名须与登记的一致。"),
    gettext_lazy("同一人、村、职务和任职日期已登记的任职不重复登记（显示为“无变化”）。"),
    NOTE_ALL_OR_NONE,
]


def columns(villages: list[str]) -> list[Column]:
    return [
        Column(ID_NUMBER, _("已登记人员的18位身份证号码；请以文本格式填写。"), True, text=True, width=22),
        Column(NAME, _("与登记的姓名一致，用于核对。"), True),
        Column(VILLAGE, _("本乡镇的村（社区）名称（下拉选择）。"), True, villages, width=20),
        Column(
            POSITION,
            _("下拉选择；职务决定所属组织（村党支部委员会、村民委员会或村务监督委员会）。"),
            True,
            [str(position.label) for position in Position],
        ),
        Column(START, _("日期格式，如2026-01-31。"), True, date=True),
        Column(TERM_END, _("可留空：按任职日期起5年计算。"), date=True),
    ]


def example_row(villages: list[str]) -> list:
    start = dt.date(2021, 5, 1)
    with translation.override("zh-hans"):
        return [
            idnumbers.make_id_number(area="513301", birth_date=dt.date(1980, 1, 1), sequence=1),
            _("示例：扎西（此行不导入）"),
            villages[0] if villages else "",
            str(Position.SECRETARY.label),
            start,
            None,
        ]


def form_data(
    values: dict, *, people: dict, villages: dict, positions: dict, township: str
) -> tuple[dict, dict]:
    """(PostForm data, errors by field) for one row; ``people`` maps ID hash → person."""
    errors: dict[str, str] = {}
    data = {
        "position": positions.get(cell_text(values.get(POSITION)), cell_text(values.get(POSITION))),
        "start_date": as_date_text(values.get(START)),
        "term_end": as_date_text(values.get(TERM_END)),
    }
    village = villages.get(cell_text(values.get(VILLAGE)))
    data["village"] = village.code if village else ""
    if village is None and cell_text(values.get(VILLAGE)):
        errors["village"] = str(VILLAGE_OUTSIDE) % {
            "value": cell_text(values.get(VILLAGE)),
            "township": township,
        }
    number = values.get(ID_NUMBER)
    data["person"] = ""
    if number not in (None, ""):
        from imports.people import ID_AS_NUMBER

        if isinstance(number, (int, float)):
            errors["person"] = str(ID_AS_NUMBER)
        else:
            try:
                normalized = idnumbers.validate_id_number(str(number))
            except Exception as exc:  # ValidationError: its message is the form's
                errors["person"] = " ".join(getattr(exc, "messages", [str(exc)]))
            else:
                person = people.get(idnumbers.keyed_hash(normalized))
                if person is None:
                    errors["person"] = str(PERSON_UNKNOWN)
                elif person.name != cell_text(values.get(NAME)):
                    errors["person"] = str(NAME_MISMATCH) % {
                        "name": person.name,
                        "given": cell_text(values.get(NAME)),
                    }
                else:
                    data["person"] = str(person.public_id)
    return data, errors
