"""One export helper for every list page: ``?export=xlsx`` or ``?export=csv`` (DESIGN §7).

The export gets the same filtered, ordered queryset as the page, without pagination, and the same
columns as the table. Rows are read from the database in chunks (``CHUNK_ROWS``) and never all
held: the CSV is written row by row as the response is sent, the xlsx is spooled to a temporary file
that is then streamed (``bench/exports.py`` measures both at 10,000 and 100,000 rows). Masking of
personal data is the columns' job (see cadres).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = ("xlsx", "csv")
UNKNOWN_FORMAT = gettext_lazy("不支持的导出格式“%(format)s”，请使用 xlsx 或 csv。")
SHEETS_ONLY_XLSX = gettext_lazy(
    "不支持的导出格式“%(format)s”：本页有多张表，请使用 xlsx（每张表一个工作表）。"
)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


# OWASP CSV injection: a cell starting with one of these is run as a formula by Excel, LibreOffice or
# Sheets when the file is opened. Text in an export is always data (see ``neutralise`` and ``_text_cell``).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as inert data in a CSV cell: a leading apostrophe, which spreadsheets read as "text
    follows" and do not show, so ``=1+1`` is displayed as ``=1+1`` and never computed."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value: Any) -> Any:
    """Make a value something both csv and openpyxl accept, shown as a user reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        # To the second, in the portal's time zone (Asia/Shanghai): no microseconds, no offset.
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, (int, float, dt.date, Decimal)):
        return value
    return str(value)


# Rows fetched from the database at a time (a server-side cursor on PostgreSQL): what an export
# holds at most, whatever its length.
CHUNK_ROWS = 2000


def _rows(objects: Iterable, columns: list[Column]) -> Iterator[list]:
    iterator = objects.iterator(chunk_size=CHUNK_ROWS) if hasattr(objects, "iterator") else iter(objects)
    for obj in iterator:
        yield [_cell(column.value(obj)) for column in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(objects, columns) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark makes Excel read the file as UTF-8 instead of GBK.
    yield "\ufeff" + writer.writerow([str(column.header) for column in columns])
    for row in _rows(objects, columns):
        yield writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])


# How Excel shows dates and times (the cells hold real dates, so they sort and filter as dates).
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# Column widths in Excel's character units: from the longest cell, within these bounds.
MIN_WIDTH, MAX_WIDTH = 6, 60
# Rows (after the header) an export's column widths are measured on; see ``_xlsx_response``.
WIDTH_SAMPLE = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display_width(text: str) -> int:
    """Excel character units a text needs: a Chinese (full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_widths(rows: list[list]) -> list[float]:
    """One width per column, from the widest cell (header included), with a little padding."""
    widths = [0] * max((len(row) for row in rows), default=0)
    for row in rows:
        for index, value in enumerate(row):
            longest = max((display_width(line) for line in _shown(value).splitlines() or [""]), default=0)
            widths[index] = max(widths[index], longest)
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _xlsx_response(objects, columns, filename: str) -> FileResponse:
    """The rows as an xlsx file, with memory that does not grow with the row count: openpyxl's
    write-only sheet spools its rows to a temporary file as they come, the workbook is zipped into
    another temporary file, and that file is streamed to the browser (and gone once closed)."""
    from openpyxl import Workbook

    header = [str(column.header) for column in columns]
    rows = _rows(objects, columns)
    # A write-only sheet needs its column widths before its first row, so the widths come from the
    # header and the first WIDTH_SAMPLE rows only: reading every row first would hold the whole
    # export in memory. A wider cell further down shows cut off until the column is widened; its
    # value is all there.
    sample = list(islice(rows, WIDTH_SAMPLE))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    _set_widths(sheet, [header, *sample])
    for row in chain([header], sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # No name on disk: the file disappears when the response closes it, or when anything fails.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    try:
        workbook.save(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response.block_size = 64 * 1024
    return response


def _set_widths(sheet, rows: list[list]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _xlsx_cell(sheet, value: Any):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, dt.date):  # a datetime too
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        is_datetime = isinstance(value, dt.datetime)
        cell.number_format = XLSX_DATETIME_FORMAT if is_datetime else XLSX_DATE_FORMAT
        return cell
    return value


def _text_cell(sheet, text: str):
    """A string cell whatever the text starts with: openpyxl would store ``=...`` as a live formula.
    A formula-like text also gets Excel's quote prefix, so editing the cell keeps it text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=None)
    cell._value = text  # set directly: the value setter is what guesses "formula"
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def export_response(request, objects, *, columns: list[Column], filename: str) -> HttpResponse | None:
    """The export asked for by ``?export=``, a 400 for an unknown format, or None for the HTML page."""
    fmt = request.GET.get("export")
    if fmt is None or fmt == "":
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            str(UNKNOWN_FORMAT) % {"format": fmt}, content_type="text/plain; charset=utf-8"
        )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(objects, columns), content_type="text/csv; charset=utf-8"
        )
    else:
        response = _xlsx_response(objects, columns, filename)
    response["Content-Disposition"] = _content_disposition(f"{filename}-{stamp}.{fmt}")
    return response


def _content_disposition(name: str) -> str:
    from urllib.parse import quote

    # RFC 6266: an ASCII fallback plus the UTF-8 name for Chinese file names.
    return f"attachment; filename=\"export.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"


def sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, unique in the workbook."""
    name = "".join("_" if char in "[]:*?/\\" else char for char in str(title))[:31] or "Sheet"
    candidate, number = name, 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def export_sheets(request, tables: list[dict], *, filename: str) -> HttpResponse:
    """A page of several tables (the dashboard) as one workbook, one sheet per table, for
    ``?export=xlsx``; each table is ``{"title", "headers", "rows"}`` with the figures the page shows.
    Another format is a 400: several tables do not fit in one CSV."""
    fmt = request.GET.get("export")
    if fmt != "xlsx":
        return HttpResponseBadRequest(
            str(SHEETS_ONLY_XLSX) % {"format": fmt}, content_type="text/plain; charset=utf-8"
        )
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        header = [str(text) for text in table["headers"]]
        rows = [header, *([_cell(value) for value in row] for row in table["rows"])]
        sheet = workbook.create_sheet(title=sheet_title(table["title"], taken))
        _set_widths(sheet, rows)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if not tables:
        workbook.create_sheet(title="-")
    # The dashboard's tables are a few hundred rows at most: built in memory.
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    workbook.save(response)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = _content_disposition(f"{filename}-{stamp}.xlsx")
    return response
