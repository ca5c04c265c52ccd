"""The issue's "done when" for the import in a real browser: a township clerk downloads the people
template, fills in a 1,000-row roster with three bad rows, uploads it and sees exactly those three
errors, fixes them "in Excel" and uploads again, confirms, and all 1,000 people exist."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cadres.models import Person
from tests.factories import VillageFactory
from tests.imports.roster import ID_COLUMN, VILLAGE_COLUMN, bad_checksum, person_row

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def _fill(template: bytes, rows: list[list]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["人员花名册"]
    # Typed in below the example row (row 2), as a clerk would: the template's formatted empty
    # rows are overwritten, not appended after.
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(page, content: bytes) -> None:
    # The index page's people form, or the check page's 重新上传 form.
    section = page.locator("form", has=page.get_by_role("button", name="上传并检查")).first
    section.get_by_label("Excel文件（.xlsx）").set_input_files(
        files=[{"name": "花名册.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    section.get_by_role("button", name="上传并检查").click()


def test_a_clerk_imports_a_1000_row_roster_after_fixing_three_bad_rows(
    log_in, staff, township, village, tmp_path
):
    second = VillageFactory(township=township, name="姑咱示例02村")
    page = log_in("staff")
    page.get_by_role("link", name="Excel导入").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载人员花名册模板（.xlsx）").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    template_bytes = template.read_bytes()

    villages = [village.name, second.name]
    rows = [person_row(i, villages[i % 2]) for i in range(1000)]
    good = {index: list(rows[index]) for index in (99, 499, 899)}
    # Template: row 1 headers, row 2 the example, so data row i is Excel row i + 3.
    rows[99][ID_COLUMN] = bad_checksum(rows[99][ID_COLUMN])  # Excel row 102
    rows[499][VILLAGE_COLUMN] = "新都桥示例01村"  # Excel row 502: not a village of 姑咱镇
    rows[899][1] = "女"  # Excel row 902: the ID number says male
    _upload(page, _fill(template_bytes, rows))

    errors = page.locator(".import-error-list li")
    expect(errors).to_have_count(3)
    assert errors.all_inner_texts() == [
        "第 102 行 身份证号码：身份证号码的校验码（第18位）不正确，请核对。",
        "第 502 行 户籍所在村：“新都桥示例01村”不是本乡镇（姑咱镇）现有的村（社区），请从下拉列表中选择。",
        "第 902 行 身份证号码：身份证号码第17位是奇数，表示男性，与填写的性别“女”不一致。",
    ]
    expect(page.get_by_text("共 1000 行数据，发现 3 处错误，整个文件没有导入")).to_be_visible()
    assert Person.objects.count() == 0

    for index, row in good.items():
        rows[index] = row
    _upload(page, _fill(template_bytes, rows))
    expect(page.locator("#confirm-outcome")).to_contain_text("确认后新增1000条，0 行无变化")
    assert Person.objects.count() == 0, "nothing is saved before the confirmation"
    page.get_by_role("button", name="确认办理").click()
    expect(page.get_by_text("已导入：新增1000条，0 行无变化。").first).to_be_visible()
    assert Person.objects.filter(home_village__township=township).count() == 1000
