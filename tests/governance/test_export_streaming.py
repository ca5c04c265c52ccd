"""Exports that stream ([10/10] item 3): the memory an export takes does not grow with its rows.

A county official exports the supervision-report list of a county with N and with 4N reports
(built in one INSERT ... SELECT, as ``bench/exports.py`` does at 10,000 and 100,000). Rows are
fetched CHUNK_ROWS at a time, so the chunk is made small here (100) for both sizes to span many
chunks: what is measured is then what grows with the row count, nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import tracemalloc

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from bench.exports import build_reports, county_official
from governance import exports

pytestmark = pytest.mark.django_db

N = 500
# Peak(4N) may exceed peak(N) by half plus this much (allocator noise), far below what holding
# 3N more rows costs (about 1.7 kB each as model instances, more as cells).
SLACK = 256 * 1024


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 100)
    monkeypatch.setattr(exports, "WIDTH_SAMPLE", 50)


@pytest.fixture
def clients():
    """{rows: a county official's client} for a county of N and one of 4N reports."""
    made = {}
    for code, rows in (("519801", N), ("519802", 4 * N)):
        client = Client()
        client.force_login(county_official(build_reports(rows, county_code=code, villages=50)))
        client.get("/healthz")  # a client's first request loads the middleware (static files index...)
        made[rows] = client
    return made


def _peak(client, fmt: str) -> tuple[int, int]:
    """(peak traced bytes, body bytes) of one export read chunk by chunk, keeping nothing."""
    tracemalloc.start()
    try:
        response = client.get("/supervision/", {"export": fmt})
        assert response.status_code == 200 and response.streaming
        size = sum(len(chunk) for chunk in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def _peaks(clients, fmt: str) -> dict[int, int]:
    _peak(clients[N], fmt)  # warm-up: first imports and translations are not the export's
    return {rows: _peak(client, fmt)[0] for rows, client in clients.items()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exports_peak_memory_does_not_grow_with_its_rows(small_chunks, clients, fmt):
    peaks = _peaks(clients, fmt)
    assert peaks[4 * N] < 1.5 * peaks[N] + SLACK, peaks


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_measure_sees_growth_when_every_row_is_held(monkeypatch, clients, fmt):
    """The control: one chunk as large as the export holds every row at once (as the xlsx export
    used to, to size its columns); the same measure then finds memory growing with the rows."""
    monkeypatch.setattr(exports, "CHUNK_ROWS", 10 * N)
    peaks = _peaks(clients, fmt)
    assert peaks[4 * N] > 2 * peaks[N], peaks


def test_the_streamed_xlsx_opens_with_every_row_dates_and_text_as_text(small_chunks, clients):
    response = clients[4 * N].get("/supervision/", {"export": "xlsx"})
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    spooled = [c.__self__ for c in response._resource_closers if isinstance(c.__self__, io.IOBase)]
    with tempfile.TemporaryFile() as file:
        for chunk in response.streaming_content:
            file.write(chunk)
        file.seek(0)
        book = load_workbook(file)
    assert spooled and all(file.closed for file in spooled), "the spooled workbook is closed, so gone"
    assert ALL_TEMP_FILES == [], "openpyxl's per-sheet temporary files are removed"
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 * N + 1
    assert rows[0][:3] == ("乡镇（街道）", "村（社区）", "区划代码")
    assert {row[2] for row in rows[1:]} == {f"519802101{n:03d}" for n in range(50)}
    # Column H is the due date: a real date, shown as one.
    due = sheet["H2"]
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    # Every fourth report was returned with "=请补充会议记录": text, never a formula.
    reasons = [cell for (cell,) in sheet.iter_rows(min_col=11, max_col=11, min_row=2) if cell.value]
    assert len(reasons) == N and all(c.data_type == "s" and c.value == "=请补充会议记录" for c in reasons)
    # Widths from the header and the first WIDTH_SAMPLE rows: 导出测试000村 is 5 wide characters (10)
    # and 3 digits, 13 + 2 = 15; the header 村（社区） is 5 wide characters (10).
    assert sheet.column_dimensions["B"].width == 15


def test_the_streamed_csv_has_every_row_once(small_chunks, clients):
    response = clients[4 * N].get("/supervision/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4 * N + 1
    assert len({(row[2], row[4]) for row in rows[1:]}) == 4 * N  # village and period: each once
    assert sum(row[10] == "'=请补充会议记录" for row in rows[1:]) == N
    assert all(row[7] == "" or dt.date.fromisoformat(row[7]) for row in rows[1:])
