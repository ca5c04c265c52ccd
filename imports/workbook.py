"""Reading an uploaded workbook safely, and writing the downloadable templates (openpyxl).

Reading refuses, each with one Chinese sentence and before anything is validated or saved: a file
that is not an xlsx workbook (checked on the content: a zip holding a workbook that openpyxl opens;
an old .xls or a renamed CSV is named as such), a file over the size limit, an empty sheet, a
header row without the template's columns, and more data rows than the limit (read from the sheet's
dimension first, so 100,000 rows are refused without reading them; a file without a dimension is
streamed and refused at the first row over the limit). Formulas are refused per cell: an import
takes values, never what a formula would compute.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
# The template's example row: any row whose first cell starts with this is skipped on import.
EXAMPLE_MARK = "示例"
NOTES_SHEET = "说明"
LISTS_SHEET = "_lists"

NOT_XLSX = gettext_lazy("上传的文件不是Excel工作簿（.xlsx），请用下载的模板填写后上传。")
OLD_XLS = gettext_lazy("上传的是旧版Excel文件（.xls），请在Excel中“另存为”Excel工作簿（.xlsx）后上传。")
EMPTY_FILE = gettext_lazy("上传的文件是空的。")
TOO_LARGE = gettext_lazy("文件不能超过%(limit)s MB。")
EMPTY_SHEET = gettext_lazy("工作表“%(sheet)s”是空的，请在模板中填写后上传。")
NO_DATA = gettext_lazy("工作表“%(sheet)s”只有表头，没有数据行（以“示例”开头的示例行不导入）。")
MISSING_COLUMNS = gettext_lazy("第1行表头缺少列：%(columns)s。请使用下载的模板，不要修改、删除表头。")
UNKNOWN_COLUMNS = gettext_lazy("第1行表头有模板中没有的列：%(columns)s（可能被改名）。")
DUPLICATE_COLUMNS = gettext_lazy("第1行表头的列重复：%(columns)s。")
TOO_MANY_ROWS = gettext_lazy("表中超过%(limit)s行数据，请分成多个文件导入（每个文件最多%(limit)s行）。")
# Shared by the kinds of workbook (imports/people.py, posts.py, reports.py).
VILLAGE_OUTSIDE = gettext_lazy("“%(value)s”不是本乡镇（%(township)s）现有的村（社区），请从下拉列表中选择。")
NOTE_HEADER = gettext_lazy("第一行是表头，不要修改；以“示例”开头的行不导入，可以保留或删除。")
NOTE_ALL_OR_NONE = gettext_lazy("只要有一行有错，整个文件都不导入；改正后重新上传即可。")
FORMULA = gettext_lazy("第 %(row)s 行 %(column)s 列是公式，请复制后“粘贴为数值”再上传。")


class FileRefused(Exception):
    """The whole file is refused; ``message`` says why, in one sentence."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def max_bytes() -> int:
    return getattr(settings, "IMPORTS_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORTS_MAX_ROWS", DEFAULT_MAX_ROWS)


@dataclass
class Sheet:
    """The data rows of a sheet: ``rows`` are ``(excel row number, {header: value})``; ``errors``
    are per-cell refusals found while reading (formulas), as ``(row, header, message)``."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _check_container(upload) -> None:
    size = upload.size
    if size == 0:
        raise FileRefused(str(EMPTY_FILE))
    if size > max_bytes():
        raise FileRefused(str(TOO_LARGE) % {"limit": max_bytes() // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2 compound file: Excel 97-2003
        raise FileRefused(str(OLD_XLS))
    if not zipfile.is_zipfile(upload):
        raise FileRefused(str(NOT_XLSX))
    upload.seek(0)
    try:
        names = set(zipfile.ZipFile(upload).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRefused(str(NOT_XLSX)) from exc
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise FileRefused(str(NOT_XLSX))


def cell_text(value) -> str:
    """A cell as the text a clerk typed: blank for an empty cell, ``2026`` for the number 2026.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choices_map(choices) -> dict[str, str]:
    """Chinese label (what the template's dropdown offers) or stored value → stored value."""
    with translation.override("zh-hans"):
        return {
            **{choice.value: choice.value for choice in choices},
            **{str(choice.label): choice.value for choice in choices},
        }


def read_sheet(upload, *, title: str, headers: list[str]) -> Sheet:
    """The data rows of the sheet called ``title`` (else the first sheet) of ``upload``, keyed by
    the template's ``headers``. Raises ``FileRefused`` for what makes the whole file unusable."""
    _check_container(upload)
    try:
        # read_only streams the sheet; data_only=False keeps formulas visible as formulas.
        book = load_workbook(upload, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise FileRefused(str(NOT_XLSX)) from exc
    try:
        sheets = [ws for ws in book.worksheets if ws.title not in (NOTES_SHEET, LISTS_SHEET)]
        if not sheets:
            raise FileRefused(str(EMPTY_SHEET) % {"sheet": title})
        sheet = book[title] if title in book.sheetnames else sheets[0]
        return _read(sheet, headers=headers)
    finally:
        book.close()


def _read(sheet, *, headers: list[str]) -> Sheet:
    limit = max_rows()
    # The dimension (<dimension ref="A1:L100001">) says how many rows there are without reading them.
    declared = sheet.max_row if isinstance(sheet.max_row, int) else None
    if declared is not None and declared - 1 > limit:
        raise FileRefused(str(TOO_MANY_ROWS) % {"limit": limit})
    # values_only: no cell objects (a third of the reading time); rows come in order, gaps filled.
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    header_cells = None
    for _number, cells in rows:
        if any(cell_text(value) for value in cells):
            header_cells = cells
            break
    if header_cells is None:
        raise FileRefused(str(EMPTY_SHEET) % {"sheet": sheet.title})
    positions = list(_header_positions(header_cells, headers).items())
    result = Sheet()
    seen = 0
    for number, cells in rows:
        values, formulas = {}, []
        width = len(cells)
        for header, index in positions:
            value = cells[index] if index < width else None
            # With data_only=False a formula cell reads as its formula text ("=SUM(A1:A3)").
            if isinstance(value, str) and value.startswith("="):
                formulas.append((number, header, str(FORMULA) % {"row": number, "column": header}))
                value = None
            values[header] = value
        if not formulas and not any(cell_text(value) for value in values.values()):
            continue  # blank rows (Excel keeps formatted empty rows) are not data
        if cell_text(values[headers[0]]).startswith(EXAMPLE_MARK):
            continue
        seen += 1
        if seen > limit:
            raise FileRefused(str(TOO_MANY_ROWS) % {"limit": limit})
        if formulas:
            result.errors.extend(formulas)
        else:
            result.rows.append((number, values))
    if not result.rows and not result.errors:
        raise FileRefused(str(NO_DATA) % {"sheet": sheet.title})
    return result


def _header_positions(cells, headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    duplicates, unknown = [], []
    for index, value in enumerate(cells):
        text = cell_text(value).rstrip("*").strip()
        if not text:
            continue
        if text in found:
            duplicates.append(text)
        elif text in headers:
            found[text] = index
        else:
            unknown.append(text)
    missing = [header for header in headers if header not in found]
    problems = []
    if missing:
        problems.append(str(MISSING_COLUMNS) % {"columns": "、".join(missing)})
    if unknown and missing:
        problems.append(str(UNKNOWN_COLUMNS) % {"columns": "、".join(unknown)})
    if duplicates:
        problems.append(str(DUPLICATE_COLUMNS) % {"columns": "、".join(duplicates)})
    if problems:
        raise FileRefused(" ".join(problems))
    return found


# --- templates ----------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    note: str
    required: bool = False
    choices: list[str] | None = None
    text: bool = False  # stored as text (ID and phone numbers: a number format would round them)
    date: bool = False
    width: int = 14


def build_template(*, title: str, columns: list[Column], example: list, notes: list[str]) -> Workbook:
    """A workbook with the data sheet (Chinese headers, one example row, dropdown lists for the
    choice columns, text format on number-like text) and a 说明 sheet describing each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    sheet.append(example)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet[f"{letter}2"].fill = grey
        sheet.column_dimensions[letter].width = column.width
        data_range = f"{letter}2:{letter}{DEFAULT_MAX_ROWS + 1}"
        if column.choices:
            # A list longer than 255 characters must live in cells: put it on a hidden sheet.
            formula = '"' + ",".join(column.choices) + '"'
            if len(formula) > 255:
                formula = _choices_range(book, column)
            validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
            validation.error = _("请从下拉列表中选择。")
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(data_range)
        if column.text:
            for row in range(2, 1002):
                sheet[f"{letter}{row}"].number_format = "@"
        if column.date:
            for row in range(2, 1002):
                sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(NOTES_SHEET)
    guide.append([_("列"), _("必填"), _("说明")])
    for column in columns:
        guide.append([column.header, _("是") if column.required else _("否"), column.note])
    guide.append([])
    for line in notes:
        guide.append([line])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["C"].width = 80
    for cell in guide[1]:
        cell.font = bold
    return book


def _choices_range(book: Workbook, column: Column) -> str:
    lists = book[LISTS_SHEET] if LISTS_SHEET in book.sheetnames else book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    index = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    letter = get_column_letter(index)
    for row, choice in enumerate(column.choices, start=1):
        lists[f"{letter}{row}"] = choice
    return f"_lists!${letter}$1:${letter}${len(column.choices)}"


def as_date_text(value) -> str:
    """A cell's date as ISO text for a form's DateField (Excel dates arrive as datetimes)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)
