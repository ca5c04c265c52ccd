"""Excel import of the people roster: every bad input refused with its message and nothing saved,
all rows or none, idempotent re-import, scoping and attribution (issue 13, item 4)."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cadres.models import Person
from imports.models import ImportBatch
from tests.cadres.factories import PersonFactory
from tests.factories import VillageFactory
from tests.helpers import database_unchanged
from tests.imports.roster import (
    HEADERS,
    ID_COLUMN,
    VILLAGE_COLUMN,
    bad_checksum,
    errors_shown,
    id_number,
    person_row,
    roster,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db


def _post(client, url, content: bytes, name="花名册.xlsx"):
    return client.post(url, {"file": upload(content, name)})


def _field_error(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(text) for text in re.findall(r'<span class="error">(.*?)</span>', html, re.S))


def _confirm(client, batch):
    return client.post(reverse("imports:batch", args=[batch.public_id]), {"confirmed": "1"})


# --- the happy path ----------------------------------------------------------------------------


def test_a_valid_roster_is_checked_then_imported_on_confirmation(staff, staff_client, village, upload_url):
    response = _post(staff_client, upload_url, roster(5, village.name))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:batch", args=[batch.public_id])
    assert Person.objects.count() == 0, "the check saves nothing but the pending file"
    page = staff_client.get(response["Location"])
    assert "确认后新增5条，0 行无变化" in page.content.decode()
    response = _confirm(staff_client, batch)
    assert response.status_code == 302
    assert Person.objects.filter(home_village=village).count() == 5
    person = Person.objects.get(name="导入人员0")
    assert person.reveal_id_number() == id_number(0)
    assert person.id_number_masked == id_number(0)[:6] + "********" + id_number(0)[14:]
    assert person.is_returning_migrant is True  # row 0: 是
    assert Person.objects.get(name="导入人员1").is_returning_migrant is False
    assert (person.education, person.sex, person.phone) == ("senior", "male", "13900000000")
    batch.refresh_from_db()
    assert (batch.state, batch.created, batch.unchanged, batch.rows) == ("imported", 5, 0, 5)


def test_every_imported_person_has_a_history_row_attributed_to_the_uploader(
    staff, staff_client, village, upload_url
):
    _post(staff_client, upload_url, roster(3, village.name))
    _confirm(staff_client, ImportBatch.objects.get())
    history = Person.history.all()
    assert history.count() == 3
    assert {(row.history_type, row.history_user_id) for row in history} == {("+", staff.pk)}


def test_reimporting_the_same_file_changes_nothing_and_says_so(staff_client, village, upload_url):
    content = roster(4, village.name)
    _post(staff_client, upload_url, content)
    _confirm(staff_client, ImportBatch.objects.get())
    response = _post(staff_client, upload_url, content)
    second = ImportBatch.objects.get(state="pending")
    assert (second.created, second.unchanged) == (0, 4)
    with database_unchanged_except_batch():
        response = _confirm(staff_client, second)
    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert "4 行无变化" in page.content.decode()
    assert Person.objects.count() == 4
    assert Person.history.count() == 4, "no history rows for unchanged people"


class database_unchanged_except_batch:
    """People and their history do not change (only the batch's own state does)."""

    def __enter__(self):
        self.before = (Person.objects.count(), Person.history.count())

    def __exit__(self, *exc):
        assert (Person.objects.count(), Person.history.count()) == self.before


def test_a_row_registered_with_other_details_is_an_error_not_a_silent_update(
    staff_client, village, upload_url
):
    PersonFactory(home_village=village, name="旧名字", id_number=id_number(0), birth_date=person_birth(0))
    response = _post(staff_client, upload_url, roster(1, village.name))
    assert response.status_code == 400
    assert errors_shown(response) == [
        "第 2 行 身份证号码：该身份证号码已登记为旧名字（姑咱示例01村），"
        "表中的姓名、手机号、返乡农民工与登记的不同：请在人员页面修改，或删去此行。"
    ]


def person_birth(i):
    from tests.imports.roster import birth

    return birth(i)


def test_the_example_row_and_blank_rows_are_not_imported(staff_client, village, upload_url):
    rows = [
        ["示例：扎西（此行不导入）", *person_row(99, village.name)[1:]],
        [None] * 12,
        person_row(1, village.name),
    ]
    _post(staff_client, upload_url, workbook_bytes(rows))
    _confirm(staff_client, ImportBatch.objects.get())
    assert list(Person.objects.values_list("name", flat=True)) == ["导入人员1"]


def test_columns_may_come_in_any_order(staff_client, village, upload_url):
    order = list(reversed(range(12)))
    rows = [[person_row(0, village.name)[i] for i in order]]
    response = _post(staff_client, upload_url, workbook_bytes(rows, headers=[HEADERS[i] for i in order]))
    assert response.status_code == 302


# --- all or nothing ----------------------------------------------------------------------------


def test_one_bad_row_of_fifty_saves_nothing(staff_client, village, upload_url):
    rows = [person_row(i, village.name) for i in range(50)]
    rows[29][ID_COLUMN] = bad_checksum(rows[29][ID_COLUMN])  # Excel row 31 (header is row 1)
    with database_unchanged():
        response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert response.status_code == 400
    assert errors_shown(response) == ["第 31 行 身份证号码：身份证号码的校验码（第18位）不正确，请核对。"]
    assert "共 50 行数据，发现 1 处错误，整个文件没有导入" in response.content.decode()


def test_a_number_registered_between_check_and_confirmation_stops_the_whole_import(
    staff_client, village, upload_url
):
    _post(staff_client, upload_url, roster(3, village.name))
    batch = ImportBatch.objects.get()
    PersonFactory(home_village=village, id_number=id_number(2), birth_date=person_birth(2), name="同事已登记")
    response = _confirm(staff_client, batch)
    assert response.status_code == 400
    assert "第 4 行 身份证号码：该身份证号码已登记为同事已登记" in response.content.decode()
    assert Person.objects.count() == 1
    batch.refresh_from_db()
    assert batch.state == "pending"


# --- bad input, per row -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "身份证号码",
            "51330119600101001",
            "身份证号码：身份证号码应为18位：前17位是数字，最后一位是数字或X。",
        ),
        ("性别", "女", "身份证号码：身份证号码第17位是奇数，表示男性，与填写的性别“女”不一致。"),
        ("性别", "未知", "性别：选择一个有效的选项。 未知 不在可用的选项中。"),
        ("文化程度", "博士", "文化程度：选择一个有效的选项。 博士 不在可用的选项中。"),
        ("姓名", "", "姓名：这个字段是必填项。"),
        ("手机号", "12345", "手机号：手机号应为11位手机号码，或带区号的固定电话（如0836-2812345）。"),
        ("返乡农民工", "对", "返乡农民工：应填“是”或“否”（留空为“否”）。"),
        ("出生日期", "1899-12-31", "出生日期：日期须在1900-01-01至2100-12-31之间。"),
        ("身份证号码", 513301196001010011, "身份证号码：身份证号码被存成了数字"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_with_the_forms_message(
    staff_client, village, upload_url, column, value, message
):
    rows = [person_row(0, village.name), person_row(1, village.name)]
    rows[1][HEADERS.index(column)] = value
    with database_unchanged():
        response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert response.status_code == 400
    errors = errors_shown(response)
    assert len(errors) == 1 and errors[0].startswith("第 3 行 " + message), errors


def test_a_village_of_another_township_is_refused_by_name(staff_client, village, other_village, upload_url):
    rows = [person_row(0, village.name), person_row(1, other_village.name), person_row(2, other_village.code)]
    with database_unchanged():
        response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert errors_shown(response) == [
        "第 3 行 户籍所在村：“新都桥示例01村”不是本乡镇（姑咱镇）现有的村（社区），请从下拉列表中选择。",
        "第 4 行 户籍所在村：“513301102201”不是本乡镇（姑咱镇）现有的村（社区），请从下拉列表中选择。",
    ]


def test_a_village_may_be_given_by_its_code(staff_client, village, upload_url):
    rows = [person_row(0, village.code)]
    _post(staff_client, upload_url, workbook_bytes(rows))
    _confirm(staff_client, ImportBatch.objects.get())
    assert Person.objects.get().home_village == village


def test_a_duplicate_row_within_the_file_names_the_first(staff_client, village, upload_url):
    rows = [person_row(i, village.name) for i in range(4)]
    rows.append(list(rows[1]))
    with database_unchanged():
        response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert errors_shown(response) == ["第 6 行 身份证号码：与第 3 行的身份证号码重复。"]


def test_a_number_registered_in_another_township_is_refused_without_naming_it(
    staff_client, village, other_village, upload_url
):
    PersonFactory(home_village=other_village, id_number=id_number(0), birth_date=person_birth(0))
    response = _post(staff_client, upload_url, roster(1, village.name))
    assert errors_shown(response) == [
        "第 2 行 身份证号码：该身份证号码不能在本乡镇登记，请核对号码；如有疑问请与县委组织部联系。"
    ]


def test_a_formula_is_refused_with_row_and_column(staff_client, village, upload_url):
    rows = [person_row(0, village.name), person_row(1, village.name)]
    rows[1][0] = '=CONCATENATE("扎","西")'
    with database_unchanged():
        response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert errors_shown(response) == ["第 3 行 姓名 列是公式，请复制后“粘贴为数值”再上传。"]


def test_every_bad_row_is_listed_at_once(staff_client, village, upload_url):
    rows = [person_row(i, village.name) for i in range(10)]
    rows[2][ID_COLUMN] = bad_checksum(rows[2][ID_COLUMN])
    rows[5][VILLAGE_COLUMN] = "不存在村"
    rows[8][1] = "女"
    response = _post(staff_client, upload_url, workbook_bytes(rows))
    assert [error.split("：")[0] for error in errors_shown(response)] == [
        "第 4 行 身份证号码",
        "第 7 行 户籍所在村",
        "第 10 行 身份证号码",
    ]


# --- bad input, per file ------------------------------------------------------------------------


def _refused(client, url, content, name="花名册.xlsx") -> str:
    with database_unchanged():
        response = _post(client, url, content, name)
    assert response.status_code == 400
    return _field_error(response)


def test_a_csv_renamed_to_xlsx_is_refused(staff_client, upload_url):
    content = ",".join(HEADERS).encode("utf-8") + b"\n"
    assert (
        _refused(staff_client, upload_url, content)
        == "上传的文件不是Excel工作簿（.xlsx），请用下载的模板填写后上传。"
    )


def test_an_old_xls_file_is_named_as_such(staff_client, upload_url):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    message = _refused(staff_client, upload_url, content, "花名册.xls")
    assert message == "上传的是旧版Excel文件（.xls），请在Excel中“另存为”Excel工作簿（.xlsx）后上传。"


def test_a_zip_that_is_not_a_workbook_is_refused(staff_client, upload_url):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refused(staff_client, upload_url, buffer.getvalue()).startswith("上传的文件不是Excel工作簿")


def test_an_empty_sheet_is_refused(staff_client, upload_url):
    buffer = io.BytesIO()
    book = Workbook()
    book.active.title = "人员花名册"
    book.save(buffer)
    assert (
        _refused(staff_client, upload_url, buffer.getvalue())
        == "工作表“人员花名册”是空的，请在模板中填写后上传。"
    )


def test_a_header_without_rows_is_refused(staff_client, upload_url):
    message = _refused(staff_client, upload_url, workbook_bytes([]))
    assert message == "工作表“人员花名册”只有表头，没有数据行（以“示例”开头的示例行不导入）。"


def test_a_renamed_column_is_refused_naming_both(staff_client, village, upload_url):
    headers = ["身份证" if header == "身份证号码" else header for header in HEADERS]
    message = _refused(
        staff_client, upload_url, workbook_bytes([person_row(0, village.name)], headers=headers)
    )
    assert message == (
        "第1行表头缺少列：身份证号码。请使用下载的模板，不要修改、删除表头。 "
        "第1行表头有模板中没有的列：身份证（可能被改名）。"
    )


def test_a_missing_column_is_refused(staff_client, village, upload_url):
    headers = [header for header in HEADERS if header != "性别"]
    rows = [
        [
            value
            for header, value in zip(HEADERS, person_row(0, village.name), strict=True)
            if header != "性别"
        ]
    ]
    message = _refused(staff_client, upload_url, workbook_bytes(rows, headers=headers))
    assert message == "第1行表头缺少列：性别。请使用下载的模板，不要修改、删除表头。"


def test_an_empty_file_is_refused(staff_client, upload_url):
    response = _post(staff_client, upload_url, b"")
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(staff_client, village, upload_url, settings):
    settings.IMPORTS_MAX_BYTES = 1024 * 1024
    content = roster(1, village.name) + b"\x00" * (1024 * 1024)  # one byte over: 1 MB + the workbook
    assert _refused(staff_client, upload_url, content) == "文件不能超过1 MB。"


def test_a_file_at_the_size_limit_is_read(staff_client, village, upload_url, settings):
    content = roster(1, village.name)
    settings.IMPORTS_MAX_BYTES = len(content)
    assert _post(staff_client, upload_url, content).status_code == 302


@pytest.mark.parametrize(("rows", "accepted"), [(3, True), (4, False)])
def test_the_row_limit_counts_data_rows(staff_client, village, upload_url, settings, rows, accepted):
    settings.IMPORTS_MAX_ROWS = 3
    response = _post(staff_client, upload_url, roster(rows, village.name))
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert _field_error(response) == "表中超过3行数据，请分成多个文件导入（每个文件最多3行）。"


def test_a_hundred_thousand_rows_are_refused_as_a_file(staff_client, upload_url):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("人员花名册")
    sheet.append(HEADERS)
    for i in range(100_000):
        sheet.append([f"人{i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _refused(staff_client, upload_url, buffer.getvalue()) == (
        "表中超过20000行数据，请分成多个文件导入（每个文件最多20000行）。"
    )


# --- the template ------------------------------------------------------------------------------


def test_the_template_has_the_headers_an_example_dropdowns_and_notes(staff_client, village, other_village):
    second = VillageFactory(township=village.township, name="姑咱示例02村")
    response = staff_client.get(reverse("imports:template", args=["people"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["人员花名册"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A2"].value.startswith("示例")
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["B2"] == '"男,女"'
    assert lists["F2"] == '"小学及以下,初中,高中/中专,大专,本科,研究生"'
    assert lists["H2"] == f'"{village.name},{second.name}"', "only the user's own villages"
    assert lists["I2"] == '"是,否"'
    notes = book["说明"]
    assert [row[0].value for row in notes.iter_rows(min_row=2, max_row=13)] == HEADERS


def test_the_template_as_downloaded_with_its_example_row_is_refused_as_empty(
    staff_client, village, upload_url
):
    content = staff_client.get(reverse("imports:template", args=["people"])).content
    assert _refused(staff_client, upload_url, content).startswith("工作表“人员花名册”只有表头")


def test_the_template_filled_in_is_imported(staff_client, village, upload_url):
    content = staff_client.get(reverse("imports:template", args=["people"])).content
    book = load_workbook(io.BytesIO(content))
    book["人员花名册"].append(person_row(0, village.name))
    buffer = io.BytesIO()
    book.save(buffer)
    assert _post(staff_client, upload_url, buffer.getvalue()).status_code == 302


# --- who may import ----------------------------------------------------------------------------


def test_a_county_official_gets_403_on_upload_and_template(official_client, village, upload_url):
    with database_unchanged():
        assert _post(official_client, upload_url, roster(2, village.name)).status_code == 403
    assert official_client.get(reverse("imports:template", args=["people"])).status_code == 403


def test_an_admin_gets_403_on_upload(admin_client_, village, upload_url):
    with database_unchanged():
        assert _post(admin_client_, upload_url, roster(2, village.name)).status_code == 403


def test_the_index_page_shows_read_only_roles_no_upload_form(official_client, staff_client):
    page = official_client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' not in page.content
    assert b'enctype="multipart/form-data"' in staff_client.get(reverse("imports:index")).content


def test_another_users_batch_answers_404(staff_client, outsider_client, village, upload_url):
    _post(staff_client, upload_url, roster(2, village.name))
    batch = ImportBatch.objects.get()
    url = reverse("imports:batch", args=[batch.public_id])
    assert outsider_client.get(url).status_code == 404
    with database_unchanged():
        assert outsider_client.post(url, {"confirmed": "1"}).status_code == 404


def test_an_unknown_kind_answers_404(staff_client):
    assert staff_client.get("/imports/nothing/template.xlsx").status_code == 404


def test_reloading_the_upload_address_leads_back_to_the_import_page(staff_client, upload_url):
    """A refused upload leaves its address in the bar; reloading it must not answer 405."""
    response = staff_client.get(upload_url)
    assert (response.status_code, response["Location"]) == (302, "/imports/")


def test_anonymous_visitors_go_to_login(client, upload_url):
    assert client.get(reverse("imports:index")).status_code == 302


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [20, 200])
def test_checking_and_importing_take_the_same_queries_at_20_and_200_rows(
    staff_client, village, upload_url, django_assert_max_num_queries, rows
):
    content = roster(rows, village.name)
    with django_assert_max_num_queries(20):
        assert _post(staff_client, upload_url, content).status_code == 302
    batch = ImportBatch.objects.get()
    with django_assert_max_num_queries(20):
        assert _confirm(staff_client, batch).status_code == 302
    assert Person.objects.count() == rows
