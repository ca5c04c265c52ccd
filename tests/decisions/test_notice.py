"""The printable notice at the matter's URL + notice/: the resolution or result, never people."""

from pathlib import Path

import pytest
from django.urls import reverse

from decisions.models import StepKind
from decisions.views import NOTICE_TEXT_LIMIT
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


def test_the_notice_is_laid_out_for_one_a4_page(staff_client, matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESULT, description="很长的事项内容。" * 180)
    page = staff_client.get(notice_url(matter)).content.decode()
    # Free text is cut so the longest notice still fits one sheet; the print CSS sets the A4 page.
    assert "很长的事项内容。" * 34 in page and "很长的事项内容。" * 36 not in page
    assert NOTICE_TEXT_LIMIT == 280
    css = (Path(__file__).resolve().parents[2] / "static/css/decisions.css").read_text()
    assert "@page { size: A4;" in css and "css/decisions.css" in page


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
