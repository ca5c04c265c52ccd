"""The printable notice at the matter's URL + notice/: the resolution or result, never people."""

from pathlib import Path

import pytest
from django.urls import reverse

from decisions.models import StepKind
from decisions.views import (
    NOTICE_COMPACT_FROM,
    NOTICE_DENSE_FROM,
    NOTICE_FLOW_FROM,
    NOTICE_LINE_WEIGHT,
    notice_density,
)
from tests.cadres.factories import PersonFactory, PostFactory

pytestmark = pytest.mark.django_db


def notice_url(matter):
    return reverse("decisions:matter_notice", kwargs={"public_id": matter.public_id})


def test_the_notice_lives_at_the_matter_url_plus_notice(matter):
    detail = reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})
    assert notice_url(matter) == detail + "notice/"


def test_the_notice_shows_the_resolution_and_its_votes(staff_client, matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION)
    page = staff_client.get(notice_url(matter)).content.decode()
    assert "决议公示" in page and matter.title in page
    assert "村民代表会议" in page and "30/30" in page
    assert "公示期：2025年3月31日至2025年4月6日" in page


def test_the_result_notice_shows_the_outcome(staff_client, matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESULT)
    page = staff_client.get(notice_url(matter)).content.decode()
    assert "实施结果公示" in page and "已按决议完成。" in page


def test_a_matter_without_a_resolution_has_nothing_to_post(staff_client, matter_at):
    page = staff_client.get(notice_url(matter_at(StepKind.REVIEW))).content.decode()
    assert "本事项尚未形成决议" in page


def test_the_notice_carries_no_id_numbers_or_phones(staff_client, matter_at, village, staff):
    person = PersonFactory(home_village=village)
    PostFactory(village=village, person=person)
    staff.phone = "13912345678"
    staff.save()
    matter = matter_at(
        StepKind.DISCLOSE_RESULT,
        description=f"联系人电话13800001111，身份证号{'51330119800101001X'}，座机0836-2812345。",
    )
    page = staff_client.get(notice_url(matter)).content.decode()
    for secret in [
        "13800001111",
        "51330119800101001X",
        "0836-2812345",
        "13912345678",
        person.phone,
        person.name,
        staff.username,
    ]:
        assert secret not in page
    assert "［已隐去］" in page


def test_the_notice_prints_the_full_text_however_long(staff_client, client, matter_at):
    description = "很长的事项内容。" * 180 + "最后一句。"
    matter = matter_at(StepKind.DISCLOSE_RESULT, description=description)
    for page in (
        staff_client.get(notice_url(matter)).content.decode(),
        client.get(reverse("public:matter", kwargs={"public_id": matter.public_id})).content.decode(),
    ):
        assert description in page and "…" not in page
        assert '<article class="notice dense">' in page
    css = (Path(__file__).resolve().parents[2] / "static/css/decisions.css").read_text()
    assert "@page { size: A4;" in css and ".notice.dense {" in css


@pytest.mark.parametrize(
    ("weight", "layout"),
    [
        (NOTICE_COMPACT_FROM - 1, ""),
        (NOTICE_COMPACT_FROM, "compact"),
        (NOTICE_DENSE_FROM - 1, "compact"),
        (NOTICE_DENSE_FROM, "dense"),
        (NOTICE_FLOW_FROM - 1, "dense"),
        (NOTICE_FLOW_FROM, "dense flow"),
    ],
)
def test_the_print_layout_gets_denser_exactly_at_its_thresholds(weight, layout):
    assert notice_density("题" * 20, "字" * (weight - 20)) == layout


def test_a_line_break_weighs_like_a_printed_line():
    lines = (NOTICE_COMPACT_FROM // (NOTICE_LINE_WEIGHT + 1)) + 1
    assert notice_density("\n" * lines) == "compact"
    assert notice_density(" " * lines) == ""


@pytest.mark.parametrize("rows", [1, 10])
def test_the_notice_runs_a_fixed_number_of_queries(
    staff_client, matter_at, staff, rows, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from decisions import services

    matter = matter_at(StepKind.DISCLOSE_RESULT)
    for n in range(rows):
        services.attachment_add(
            matter=matter,
            user=staff,
            title=f"附件{n}",
            upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nx"),
        )
    with django_assert_max_num_queries(6):
        assert staff_client.get(notice_url(matter)).status_code == 200


def test_the_public_copy_of_the_notice_does_not_ask_visitors_to_post_it(client, staff_client, matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESOLUTION)
    public = client.get(reverse("public:matter", kwargs={"public_id": matter.public_id})).content.decode()
    staff = staff_client.get(notice_url(matter)).content.decode()
    assert "张贴在村务公开栏。" in staff and "张贴在村务公开栏。" not in public
    assert "本公示同时张贴在本村村务公开栏" in public


def test_a_rejected_matter_says_it_has_no_notice_rather_than_not_yet(staff_client, matter_at, staff):
    from decisions import services
    from decisions.services import Vote

    matter = matter_at(StepKind.REVIEW)
    services.matter_resolve(
        matter=matter,
        user=staff,
        held_on=matter.steps.get(kind=StepKind.REVIEW).held_on,
        meeting_type="representatives",
        vote=Vote(members_due=30, present=30, votes_for=15, votes_against=15, votes_abstain=0),
    )
    page = staff_client.get(notice_url(matter)).content.decode()
    assert "本事项表决未通过，不形成决议，无公示内容。" in page and "尚未形成决议" not in page
