"""月度监督报告: monthly supervision reports, imported as drafts, row by row through
``supervision.forms.ReportCreateForm`` and the real ``supervision.services.report_create`` (future
and locked periods, one report per village and period), so a row is refused with the same words as
the 填报 page. Drafts are then submitted from the portal as usual."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.workbook import NOTE_ALL_OR_NONE, NOTE_HEADER, VILLAGE_OUTSIDE, Column, cell_text

VILLAGE, YEAR, MONTH = "村（社区）", "年度", "月份"
TEXTS = {
    "决策与公开": "findings_decisions",
    "村级财务与资产": "findings_finances",
    "工程项目": "findings_projects",
    "惠民政策": "findings_benefits",
    "党风廉政": "findings_integrity",
    "总体情况": "summary",
}
HEADERS = [VILLAGE, YEAR, MONTH, *TEXTS]
HEADER_OF = {
    "village": VILLAGE,
    "period": f"{YEAR}/{MONTH}",
    **{name: header for header, name in TEXTS.items()},
}

BAD_PERIOD = gettext_lazy("年度应为4位数字，月份应为1至12。")
DUPLICATE_IN_FILE = gettext_lazy("与第 %(row)s 行是同一个村同一个月的报告。")
NOTES = [
    NOTE_HEADER,
    gettext_lazy("每行是一个村一个月的监督报告，导入后是草稿，核对后在系统中提交。"),
    gettext_lazy("已锁定的月份和尚未开始的月份不能导入；同一村同一月已有内容相同的报告时显示为“无变化”。"),
    NOTE_ALL_OR_NONE,
]


def columns(villages: list[str]) -> list[Column]:
    return [
        Column(VILLAGE, _("本乡镇的村（社区）名称（下拉选择）。"), True, villages, width=20),
        Column(YEAR, _("4位数字，如2026。"), True, width=8),
        Column(MONTH, _("1至12。"), True, [str(month) for month in range(1, 13)], width=8),
        *(
            Column(header, _("本月该方面的监督情况；可留空，但整行不能全部为空。"), width=30)
            for header in TEXTS
        ),
    ]


def example_row(villages: list[str]) -> list:
    with translation.override("zh-hans"):
        label = _("示例：")
    return [f"{label}{villages[0] if villages else ''}", 2026, 1, "本月决议均已公示。", "", "", "", "", ""]


def form_data(values: dict, *, villages: dict, township: str) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    data = {name: cell_text(values.get(header)) for header, name in TEXTS.items()}
    name = cell_text(values.get(VILLAGE))
    village = villages.get(name)
    data["village"] = village.code if village else ""
    if village is None and name:
        errors["village"] = str(VILLAGE_OUTSIDE) % {"value": name, "township": township}
    year, month = cell_text(values.get(YEAR)), cell_text(values.get(MONTH))
    digits = year.isascii() and year.isdigit() and month.isascii() and month.isdigit()
    if digits and len(year) == 4 and len(month) <= 2 and 1 <= int(month) <= 12:
        data["period"] = f"{year}-{int(month):02d}"
    else:
        data["period"] = ""
        if year or month:
            errors["period"] = str(BAD_PERIOD)
    return data, errors
