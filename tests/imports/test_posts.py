"""Excel import of two-committee posts: the 新增任职 rules (PostForm and post_create) per row,
all rows or none, idempotent re-import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from cadres.models import Post
from imports.models import ImportBatch
from tests.cadres.factories import PersonFactory
from tests.helpers import database_unchanged
from tests.imports.roster import errors_shown, upload, workbook_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["身份证号码", "姓名", "村（社区）", "职务", "任职日期", "任期届满日期"]
URL = "/imports/posts/upload/"
BORN = dt.date(1980, 1, 1)


def _book(rows) -> bytes:
    return workbook_bytes(rows, headers=HEADERS, title="两委任职")


@pytest.fixture
def people(village):
    return [
        # Check characters by hand (GB 11643 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2):
        # 51330119800101001 → 9, 51330119800101002 → 7.
        PersonFactory(home_village=village, name="扎西", id_number="513301198001010019", birth_date=BORN),
        PersonFactory(
            home_village=village, name="卓玛", id_number="513301198001010027", birth_date=BORN, sex="female"
        ),
    ]


def test_posts_are_checked_then_imported_and_attributed(staff, staff_client, village, people):
    rows = [
        [people[0].reveal_id_number(), "扎西", village.name, "书记", dt.date(2021, 5, 1), None],
        [
            people[1].reveal_id_number(),
            "卓玛",
            village.name,
            "主任",
            dt.date(2021, 5, 1),
            dt.date(2026, 4, 30),
        ],
    ]
    response = staff_client.post(URL, {"file": upload(_book(rows))})
    assert response.status_code == 302, errors_shown(response)
    assert Post.objects.count() == 0, "the check runs post_create in a rolled-back dry run"
    batch = ImportBatch.objects.get()
    assert (batch.created, batch.unchanged) == (2, 0)
    staff_client.post(reverse("imports:batch", args=[batch.public_id]), {"confirmed": "1"})
    secretary = Post.objects.get(position="secretary")
    assert (secretary.committee, secretary.person, secretary.term_end) == (
        "branch",
        people[0],
        dt.date(2026, 5, 1),
    )
    director = Post.objects.get(position="director")
    assert (director.committee, director.term_end) == ("villagers", dt.date(2026, 4, 30))
    assert {row.history_user_id for row in Post.history.all()} == {staff.pk}

    again = staff_client.post(URL, {"file": upload(_book(rows))})
    assert again.status_code == 302
    second = ImportBatch.objects.get(state="pending")
    assert (second.created, second.unchanged) == (0, 2)
    staff_client.post(reverse("imports:batch", args=[second.public_id]), {"confirmed": "1"})
    assert Post.objects.count() == 2


def test_a_second_secretary_in_the_file_gets_the_services_overlap_message(staff_client, village, people):
    rows = [
        [people[0].reveal_id_number(), "扎西", village.name, "书记", dt.date(2021, 5, 1), None],
        [people[1].reveal_id_number(), "卓玛", village.name, "书记", dt.date(2022, 5, 1), None],
    ]
    with database_unchanged():
        response = staff_client.post(URL, {"file": upload(_book(rows))})
    assert response.status_code == 400
    assert errors_shown(response) == [
        f"第 3 行 职务：{village.name}在该期间已有书记（扎西），请先为其办理离任。"
    ]


def test_unknown_numbers_and_wrong_names_are_row_errors(staff_client, village, people, other_village):
    # 51330119900101001 → check character 3.
    outsider = PersonFactory(
        home_village=other_village,
        name="格桑",
        id_number="513301199001010013",
        birth_date=dt.date(1990, 1, 1),
    )
    rows = [
        [people[0].reveal_id_number(), "扎西", village.name, "书记", dt.date(2021, 5, 1), None],
        [people[1].reveal_id_number(), "拉姆", village.name, "主任", dt.date(2021, 5, 1), None],
        [outsider.reveal_id_number(), "格桑", village.name, "主任", dt.date(2021, 5, 1), None],
        # The check character of 51330119800101001 is 9, not 0.
        ["513301198001010010", "某某", village.name, "主任", dt.date(2021, 5, 1), None],
    ]
    with database_unchanged():
        response = staff_client.post(URL, {"file": upload(_book(rows))})
    assert errors_shown(response) == [
        "第 3 行 身份证号码：该身份证号码登记的姓名是卓玛，与表中的“拉姆”不同。",
        "第 4 行 身份证号码：本乡镇没有登记这个身份证号码的人员，请先导入或登记人员。",
        "第 5 行 身份证号码：身份证号码的校验码（第18位）不正确，请核对。",
    ]


def test_the_posts_template_offers_positions_and_own_villages(staff_client, village, other_village):
    from openpyxl import load_workbook

    response = staff_client.get(reverse("imports:template", args=["posts"]))
    sheet = load_workbook(io.BytesIO(response.content))["两委任职"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["C2"] == f'"{village.name}"'
    assert lists["D2"] == '"书记,副书记,组织委员,宣传委员,纪检委员,主任,副主任,委员,监委会主任,监委会委员"'
