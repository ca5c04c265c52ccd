"""Excel import of monthly supervision reports as drafts: the 填报 rules (ReportCreateForm and
report_create) per row, all rows or none, idempotent re-import."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportBatch
from supervision.models import Report
from tests.factories import VillageFactory
from tests.helpers import database_unchanged
from tests.imports.roster import errors_shown, upload, workbook_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "村（社区）",
    "年度",
    "月份",
    "决策与公开",
    "村级财务与资产",
    "工程项目",
    "惠民政策",
    "党风廉政",
    "总体情况",
]
URL = "/imports/reports/upload/"


def _book(rows) -> bytes:
    return workbook_bytes(rows, headers=HEADERS, title="月度监督报告")


def _this_month():
    today = timezone.localdate()
    return today.year, today.month


def test_reports_are_imported_as_drafts_and_reimporting_changes_nothing(
    staff, staff_client, village, township
):
    second = VillageFactory(township=township, name="姑咱示例02村")
    year, month = _this_month()
    rows = [
        [village.name, year, month, "本月决议均已公示。", "", "", "", "", ""],
        [second.name, year, month, "", "账目清楚。", "", "", "", "总体良好。"],
    ]
    response = staff_client.post(URL, {"file": upload(_book(rows))})
    assert response.status_code == 302, errors_shown(response)
    assert Report.objects.count() == 0, "the check is a rolled-back dry run"
    batch = ImportBatch.objects.get()
    staff_client.post(reverse("imports:batch", args=[batch.public_id]), {"confirmed": "1"})
    report = Report.objects.get(village=second)
    assert (report.status, report.findings_finances, report.summary) == ("draft", "账目清楚。", "总体良好。")
    assert (report.period.kind, report.period.year, report.period.number) == ("monthly", year, month)
    assert {row.history_user_id for row in Report.history.all()} == {staff.pk}

    staff_client.post(URL, {"file": upload(_book(rows))})
    again = ImportBatch.objects.get(state="pending")
    assert (again.created, again.unchanged) == (0, 2)


def test_report_rows_are_refused_with_the_forms_messages(staff_client, village, township):
    year, month = _this_month()
    future_year = year + 1
    rows = [
        [village.name, year, month, "本月决议均已公示。", "", "", "", "", ""],
        [village.name, year, month, "重复的一行。", "", "", "", "", ""],
        [village.name, future_year, 1, "未来的月份。", "", "", "", "", ""],
        [village.name, year, 13, "没有13月。", "", "", "", "", ""],
        [village.name, year, month - 1 if month > 1 else 1, "", "", "", "", "", ""],
    ]
    with database_unchanged():
        response = staff_client.post(URL, {"file": upload(_book(rows))})
    errors = errors_shown(response)
    assert errors[0] == "第 3 行 村（社区）：与第 2 行是同一个村同一个月的报告。"
    assert errors[1].startswith(f"第 4 行 年度/月份：不能为尚未开始的期次填报：{future_year}年1月")
    assert errors[2] == "第 5 行 年度/月份：年度应为4位数字，月份应为1至12。"
    assert errors[3].startswith("第 6 行")
    assert len(errors) == 4


def test_a_report_already_there_with_other_texts_is_the_forms_exists_message(staff_client, village):
    year, month = _this_month()
    staff_client.post(
        URL, {"file": upload(_book([[village.name, year, month, "原内容。", "", "", "", "", ""]]))}
    )
    staff_client.post(
        reverse("imports:batch", args=[ImportBatch.objects.get().public_id]), {"confirmed": "1"}
    )
    response = staff_client.post(
        URL, {"file": upload(_book([[village.name, year, month, "新内容。", "", "", "", "", ""]]))}
    )
    assert errors_shown(response) == [f"第 2 行 年度/月份：该村{year}年{month}月的月报已存在。"]
