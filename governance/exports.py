"""One export helper for every list page: ``?export=xlsx`` or ``?export=csv`` (DESIGN §7).

The export gets the same filtered, ordered queryset as the page, without pagination, and the same
columns as the table. Rows are streamed from the database in chunks so a county-wide export does not
load everything into memory. Masking of personal data is the columns' job (see cadres).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = ("xlsx", "csv")
UNKNOWN_FORMAT = gettext_lazy("不支持的导出格式“%(format)s”，请使用 xlsx 或 csv。")


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
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, dt.date, Decimal)):
        return value
    return str(value)


def _rows(objects: Iterable, columns: list[Column]) -> Iterator[list]:
    iterator = objects.iterator(chunk_size=2000) if hasattr(objects, "iterator") else iter(objects)
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


def _xlsx_response(objects, columns, filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([_text_cell(sheet, str(column.header)) for column in columns])
    for row in _rows(objects, columns):
        sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in row])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    workbook.save(response)
    return response


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
