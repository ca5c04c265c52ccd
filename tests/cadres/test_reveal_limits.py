"""Revealing whole ID numbers: at most 20 per user per hour (counted from the reveal log), and the
reveal log page where county officials review who looked at whose number in their county."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres.models import IdNumberReveal
from tests.cadres.factories import PersonFactory
from tests.clock import Clock
from tests.factories import CountyFactory, CountyOfficialFactory, TownshipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

LIMIT_MESSAGE = "每人每60分钟最多查看20次完整身份证号码，您已达到上限，请于 {} 后再查看。"


@pytest.fixture
def clock(monkeypatch):
    # 2026-03-05 14:00:00 in Kangding (UTC+8).
    clock = Clock(dt.datetime(2026, 3, 5, 6, 0, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def reveal(client: Client, person):
    # A reveal redirects to the person's page, which shows the number once (post/redirect/get); so
    # does a refused one, with the refusal as a message (a reload shows the page, never posts again).
    response = client.post(reverse("cadres:person_reveal", args=[person.public_id]), follow=True)
    assert response.redirect_chain == [(reverse("cadres:person_detail", args=[person.public_id]), 302)]
    assert response.status_code == 200
    return response


def shown(response, person) -> bool:
    body = response.content.decode()
    return person.reveal_id_number() in body and "您已达到上限" not in body


def refused(response, person) -> bool:
    body = response.content.decode()
    return person.reveal_id_number() not in body and "您已达到上限" in body


def logged_reveals(user, person, clock: Clock, count: int) -> None:
    """``count`` reveals already in the log, one a minute from the clock's time on."""
    for _n in range(count):
        IdNumberReveal.objects.create(user=user, person=person)
        clock.advance(minutes=1)


# ---------------------------------------------------------------- the limit


def test_the_twenty_first_reveal_within_an_hour_is_refused_and_nothing_is_logged(
    staff_client, staff, person, clock
):
    logged_reveals(staff, person, clock, 20)  # 14:00 ... 14:19; the clock now reads 14:20

    response = reveal(staff_client, person)

    assert refused(response, person)
    body = response.content.decode()
    # The 14:00 reveal leaves the hour at 15:00; then one more is allowed.
    assert LIMIT_MESSAGE.format("2026-03-05 15:00") in body
    assert person.id_number_masked in body
    assert IdNumberReveal.objects.count() == 20


def test_reloading_the_person_page_after_a_refusal_does_not_post_again(staff_client, staff, person, clock):
    """The address bar holds the person's page: reloading it is a GET (200), logs nothing, and the
    refusal message is not repeated (it was shown once)."""
    logged_reveals(staff, person, clock, 20)
    reveal(staff_client, person)

    reloaded = staff_client.get(reverse("cadres:person_detail", args=[person.public_id]))

    assert reloaded.status_code == 200
    assert "您已达到上限" not in reloaded.content.decode()
    assert IdNumberReveal.objects.count() == 20


def test_a_reveal_is_allowed_again_when_the_oldest_one_leaves_the_hour(staff_client, staff, person, clock):
    logged_reveals(staff, person, clock, 20)
    clock.advance(minutes=39, seconds=59)  # 14:59:59
    assert refused(reveal(staff_client, person), person)

    clock.advance(seconds=1)  # 15:00:00
    assert shown(reveal(staff_client, person), person)
    assert IdNumberReveal.objects.count() == 21


def test_nineteen_reveals_leave_one_more(staff_client, staff, person, clock):
    logged_reveals(staff, person, clock, 19)
    assert shown(reveal(staff_client, person), person)
    assert refused(reveal(staff_client, person), person)


def test_reveals_older_than_an_hour_do_not_count(staff_client, staff, person, clock):
    logged_reveals(staff, person, clock, 20)
    clock.advance(hours=2)
    assert shown(reveal(staff_client, person), person)


def test_the_limit_is_per_user(staff, official_client, person, clock):
    logged_reveals(staff, person, clock, 20)
    assert shown(reveal(official_client, person), person)


def test_the_limit_and_the_window_are_settings(settings, staff_client, staff, person, clock):
    settings.ID_NUMBER_REVEAL_LIMIT = 3
    settings.ID_NUMBER_REVEAL_WINDOW_MINUTES = 10
    for _n in range(3):
        assert shown(reveal(staff_client, person), person)
    response = reveal(staff_client, person)
    assert refused(response, person)
    assert "每人每10分钟最多查看3次完整身份证号码，您已达到上限，请于 2026-03-05 14:10 后再查看。" in (
        response.content.decode()
    )


# ---------------------------------------------------------------- the reveal log page


@pytest.fixture
def log_rows(staff, official, person, other_person, clock):
    """Three reveals in the county: staff at 14:00 and 14:01 (both of ``person``), the official at
    14:02 (of ``other_person``, in the other township). The clock then reads 14:03."""
    logged_reveals(staff, person, clock, 2)
    logged_reveals(official, other_person, clock, 1)


def test_a_county_official_reads_the_reveal_log_of_the_county_with_masked_numbers(
    official_client, log_rows, person, other_person
):
    faraway_county = CountyFactory(code="513302000000", name="外县")
    faraway = PersonFactory(home_village=VillageFactory(township=TownshipFactory(county=faraway_county)))
    IdNumberReveal.objects.create(user=CountyOfficialFactory(county=faraway_county), person=faraway)

    response = official_client.get(reverse("cadres:reveal_list"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "共 3 条" in body
    assert "2026-03-05 14:02:00" in body and "2026-03-05 14:00:00" in body
    assert body.count("扎西测试") == 2 and "卓玛外乡" in body
    assert faraway.name not in body
    for someone in (person, other_person):
        assert someone.id_number_masked in body
        assert someone.reveal_id_number() not in body


def test_township_staff_may_not_read_the_reveal_log(staff_client, log_rows):
    response = staff_client.get(reverse("cadres:reveal_list"))
    assert response.status_code == 403
    assert "身份证号码查看记录由县级审核人员查阅。" in response.content.decode()


def test_admins_read_every_countys_log(admin_client_, log_rows):
    response = admin_client_.get(reverse("cadres:reveal_list"))
    assert response.status_code == 200
    assert "共 3 条" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("cadres:reveal_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_log_is_read_only(official_client):
    assert official_client.post(reverse("cadres:reveal_list")).status_code == 405


def test_the_cadres_menu_links_the_log_for_officials_and_admins_only(
    official_client, admin_client_, staff_client
):
    link = reverse("cadres:reveal_list")
    assert link in official_client.get(reverse("cadres:index")).content.decode()
    assert link in admin_client_.get(reverse("cadres:index")).content.decode()
    assert link not in staff_client.get(reverse("cadres:index")).content.decode()


def _names(response) -> list[str]:
    return [reveal.person.name for reveal in response.context["object_list"]]


def test_the_log_filters_by_township(official_client, log_rows, township, other_township):
    url = reverse("cadres:reveal_list")
    assert _names(official_client.get(url, {"township": township.code})) == ["扎西测试", "扎西测试"]
    assert _names(official_client.get(url, {"township": other_township.code})) == ["卓玛外乡"]


def test_the_log_filters_by_who_looked(official_client, log_rows, staff):
    staff.last_name = "格桑"
    staff.save()
    url = reverse("cadres:reveal_list")
    assert _names(official_client.get(url, {"viewer": "official"})) == ["卓玛外乡"]
    assert _names(official_client.get(url, {"viewer": "格桑"})) == ["扎西测试", "扎西测试"]
    assert _names(official_client.get(url, {"viewer": "nobody"})) == []


def test_the_log_filters_by_local_day(official_client, staff, person, clock):
    clock.advance(hours=-14, minutes=-30)  # 2026-03-04 23:30 in Kangding (15:30 UTC)
    IdNumberReveal.objects.create(user=staff, person=person)
    clock.advance(minutes=40)  # 2026-03-05 00:10 in Kangding, still 03-04 in UTC
    IdNumberReveal.objects.create(user=staff, person=person)
    url = reverse("cadres:reveal_list")

    def times(params):
        response = official_client.get(url, params)
        return [
            timezone.localtime(r.revealed_at).strftime("%m-%d %H:%M") for r in response.context["object_list"]
        ]

    assert times({"date_from": "2026-03-05"}) == ["03-05 00:10"]
    assert times({"date_to": "2026-03-04"}) == ["03-04 23:30"]
    assert times({"date_from": "2026-03-04", "date_to": "2026-03-05"}) == ["03-05 00:10", "03-04 23:30"]


def test_a_malformed_date_shows_the_error_and_no_rows(official_client, log_rows):
    response = official_client.get(reverse("cadres:reveal_list"), {"date_from": "2026-13-40"})
    assert response.status_code == 200
    assert "筛选条件有误，请修改后重试。" in response.content.decode()


def test_the_log_pages(settings, official_client, log_rows):
    settings.PAGE_SIZE = 2
    url = reverse("cadres:reveal_list")
    assert _names(official_client.get(url)) == ["卓玛外乡", "扎西测试"]
    assert _names(official_client.get(url, {"page": 2})) == ["扎西测试"]


def _rows(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_holds_the_filtered_rows_with_masked_numbers(
    official_client, log_rows, township, person, fmt
):
    response = official_client.get(reverse("cadres:reveal_list"), {"township": township.code, "export": fmt})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0] == [
        "查看时间",
        "查看人",
        "用户名",
        "角色",
        "所属单位",
        "被查看人",
        "身份证号码",
        "户籍所在村",
        "乡镇（街道）",
    ]
    assert [row[1:] for row in rows[1:]] == [
        [
            "staff",
            "staff",
            "乡镇工作人员",
            "姑咱镇",
            "扎西测试",
            person.id_number_masked,
            "姑咱示例01村",
            "姑咱镇",
        ]
    ] * 2
    assert rows[1][0].startswith("2026-03-05 14:01")


def test_an_unknown_export_format_answers_400(official_client):
    assert official_client.get(reverse("cadres:reveal_list"), {"export": "pdf"}).status_code == 400


# Measured: session, user, the user's county (page header), count, township choices, page of rows;
# the same at 3 and at 30 rows.
LOG_QUERIES = 7  # for a county official, whose navigation also counts the review queue (one query)


@pytest.mark.parametrize("size", [3, 30])
def test_the_log_query_count_does_not_grow_with_rows(
    official_client, staff, village, other_village, django_assert_max_num_queries, size
):
    for n in range(size):
        viewer = UserFactory(township=village.township if n % 2 else other_village.township)
        IdNumberReveal.objects.create(user=viewer, person=PersonFactory(home_village=village))
    with django_assert_max_num_queries(LOG_QUERIES):
        response = official_client.get(reverse("cadres:reveal_list"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == size
