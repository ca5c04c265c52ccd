"""Building people rosters the way a clerk's Excel would hold them (openpyxl, not the portal's code)."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cadres import idnumbers

HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号码",
    "文化程度",
    "手机号",
    "户籍所在村",
    "返乡农民工",
    "大中专毕业生",
    "退伍军人",
    "致富能手",
]
ID_COLUMN = HEADERS.index("身份证号码")
VILLAGE_COLUMN = HEADERS.index("户籍所在村")


def birth(i: int) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=(i * 7) % 15000)


def id_number(i: int) -> str:
    # Men: odd sequence numbers (GB 11643 digit 17); distinct (birth date, sequence) for every i.
    return idnumbers.make_id_number(area="513301", birth_date=birth(i), sequence=(2 * (i // 2000) + 1) % 1000)


def person_row(i: int, village: str) -> list:
    return [
        f"导入人员{i}",
        "男",
        "藏族",
        birth(i),
        id_number(i),
        "高中/中专",
        f"139{i:08d}",
        village,
        "是" if i % 3 == 0 else "否",
        "否",
        "",
        "否",
    ]


def bad_checksum(number: str) -> str:
    """The same number with a wrong check character."""
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def workbook_bytes(rows: list[list], *, headers: list[str] | None = None, title: str = "人员花名册") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def roster(count: int, village: str, *, start: int = 0) -> bytes:
    return workbook_bytes([person_row(i, village) for i in range(start, start + count)])


def errors_shown(response) -> list[str]:
    """The per-row errors the check page lists, as the clerk reads them."""
    from html import unescape

    block = re.search(r'<ul class="error import-error-list"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)] if block else []
