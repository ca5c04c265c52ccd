"""Staff pages: the whole procedure through the browser's forms, permissions, list, exports, queries."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from decisions import services
from decisions.models import STEP_BY_SLUG, Attachment, Matter, Step, StepKind
from tests.decisions.factories import MatterFactory
from tests.helpers import database_unchanged

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def detail_url(matter):
    return reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})


def step_url(matter, slug):
    return reverse("decisions:step_record", kwargs={"public_id": matter.public_id, "step": slug})


def vote_data(day, due, present, votes_for, **extra):
    return {
        "held_on": day.isoformat(),
        "members_due": due,
        "present": present,
        "votes_for": votes_for,
        "votes_against": 0,
        "votes_abstain": 0,
        **extra,
    }


def test_township_staff_take_a_must_deliberate_matter_from_proposal_to_disclosed_result(
    staff_client, village
):
    response = staff_client.post(
        reverse("decisions:matter_create"),
        {
            "village": village.code,
            "title": "村道硬化工程",
            "category": "project",
            "amount": "860000",
            "description": "硬化村道3公里。",
            "planned_completion": (TODAY + dt.timedelta(days=90)).isoformat(),
        },
    )
    matter = Matter.objects.get()
    assert response.status_code == 302 and response.url == detail_url(matter)
    day = TODAY - dt.timedelta(days=30)
    posts = [
        ("propose", {"held_on": day.isoformat(), "text": "村党支部提议硬化村道。"}),
        ("consult", vote_data(day, 7, 6, 6)),
        ("review", vote_data(day, 20, 15, 14)),
        ("resolve", vote_data(day, 30, 25, 20, meeting_type="representatives")),
        (
            "disclose-resolution",
            {"held_on": (TODAY - dt.timedelta(days=7)).isoformat(), "place": "村务公开栏", "notice_days": 7},
        ),
        (
            "disclose-result",
            {"held_on": TODAY.isoformat(), "place": "村务公开栏", "outcome": "已完工并验收。"},
        ),
    ]
    for slug, data in posts:
        page = staff_client.get(detail_url(matter))
        assert f'action="{step_url(matter, slug)}"' in page.content.decode()
        confirm = staff_client.post(step_url(matter, slug), data)
        assert confirm.status_code == 200 and "确认录入" in confirm.content.decode()
        assert not matter.steps.filter(kind=STEP_BY_SLUG[slug]).exists()  # nothing saved before confirming
        response = staff_client.post(step_url(matter, slug), {**data, "confirmed": "1"})
        assert response.status_code == 302, response.content.decode()
    matter.refresh_from_db()
    assert matter.state == Matter.State.COMPLETED
    assert matter.steps.count() == 6
    page = staff_client.get(detail_url(matter)).content.decode()
    assert "/steps/" not in page  # nothing more to record


def test_the_matter_page_offers_only_the_next_step(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    page = staff_client.get(detail_url(matter)).content.decode()
    assert page.count("/steps/") == 1 and step_url(matter, "review") in page


def test_a_missed_quorum_shows_the_rule_and_saves_nothing(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    response = staff_client.post(step_url(matter, "consult"), vote_data(TODAY, 7, 3, 3))
    assert response.status_code == 400
    assert services.CONSULT_QUORUM_MISSED % {"due": 7, "present": 3} in response.content.decode()
    assert matter.steps.count() == 1


def test_more_present_than_due_is_shown_on_the_field(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    response = staff_client.post(step_url(matter, "consult"), vote_data(TODAY, 7, 9, 3))
    assert response.status_code == 400
    assert services.PRESENT_OVER_DUE in response.content.decode()


def test_posting_a_step_someone_already_recorded_says_so(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    response = staff_client.post(step_url(matter, "consult"), vote_data(TODAY, 7, 6, 6), follow=True)
    assert services.STEP_ALREADY_RECORDED in response.content.decode()
    assert matter.steps.filter(kind=StepKind.CONSULT).count() == 1


def test_posting_a_later_step_is_refused_as_out_of_order(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    data = vote_data(TODAY, 30, 25, 20, meeting_type="representatives")
    response = staff_client.post(step_url(matter, "resolve"), data, follow=True)
    assert services.STEP_OUT_OF_ORDER % {"expected": "商议"} in response.content.decode()
    assert not matter.steps.filter(kind=StepKind.RESOLVE).exists()


def test_an_unknown_step_is_not_found(staff_client, matter):
    assert staff_client.post(step_url(matter, "vote-again"), {}).status_code == 404


def test_a_failed_vote_shows_the_matter_as_rejected(staff_client, matter_at):
    matter = matter_at(StepKind.CONSULT)
    staff_client.post(step_url(matter, "review"), vote_data(TODAY, 20, 15, 10, confirmed="1"))
    matter.refresh_from_db()
    assert matter.state == Matter.State.REJECTED
    page = staff_client.get(detail_url(matter)).content.decode()
    assert "未通过" in page and "/steps/" not in page


# --- permissions ------------------------------------------------------------------------------------


def _new_matter(village):
    return {
        "village": village.code,
        "title": "村道硬化工程",
        "category": "project",
        "amount": "860000",
        "description": "硬化村道3公里。",
        "planned_completion": (TODAY + dt.timedelta(days=90)).isoformat(),
    }


def test_a_county_official_reads_but_may_not_record(official_client, matter, village):
    assert official_client.get(detail_url(matter)).status_code == 200
    assert official_client.get(reverse("decisions:matter_create")).status_code == 403
    with database_unchanged():
        propose = {"held_on": "2025-03-03", "text": "x"}
        assert official_client.post(step_url(matter, "propose"), propose).status_code == 403
        assert (
            official_client.post(reverse("decisions:matter_create"), _new_matter(village)).status_code == 403
        )
        upload = reverse("decisions:attachment_upload", kwargs={"public_id": matter.public_id})
        scan = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        assert official_client.post(upload, {"title": "记录", "upload": scan}).status_code == 403


def test_another_township_sees_not_found(outsider_client, matter):
    assert outsider_client.get(detail_url(matter)).status_code == 404
    with database_unchanged():
        propose = {"held_on": "2025-03-03", "text": "x"}
        assert outsider_client.post(step_url(matter, "propose"), propose).status_code == 404
        upload = reverse("decisions:attachment_upload", kwargs={"public_id": matter.public_id})
        scan = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        assert outsider_client.post(upload, {"title": "记录", "upload": scan}).status_code == 404
    notice = reverse("decisions:matter_notice", kwargs={"public_id": matter.public_id})
    assert outsider_client.get(notice).status_code == 404


def test_staff_cannot_create_a_matter_for_another_townships_village(staff_client, other_village):
    response = staff_client.post(
        reverse("decisions:matter_create"),
        {
            "village": other_village.code,
            "title": "x",
            "category": "project",
            "description": "x",
            "planned_completion": "2026-01-01",
        },
    )
    assert response.status_code == 400 and not Matter.objects.exists()


@pytest.mark.parametrize("name", ["decisions:index", "decisions:matter_create"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_anonymous_visitors_cannot_open_a_matter(client, matter):
    response = client.get(detail_url(matter))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_wrong_methods_are_refused(staff_client, matter):
    assert staff_client.post(reverse("decisions:index")).status_code == 405
    assert staff_client.post(detail_url(matter)).status_code == 405
    # A reload of a step or upload address (after an error) lands on the matter page (issue [6/10]).
    response = staff_client.get(step_url(matter, "propose"))
    assert response.status_code == 302 and response.url == detail_url(matter) + "#next-step"
    upload = reverse("decisions:attachment_upload", kwargs={"public_id": matter.public_id})
    response = staff_client.get(upload)
    assert response.status_code == 302 and response.url == detail_url(matter)


# --- attachments ------------------------------------------------------------------------------------


def test_staff_upload_a_scan_and_download_it(staff_client, outsider_client, matter):
    url = reverse("decisions:attachment_upload", kwargs={"public_id": matter.public_id})
    scan = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    assert staff_client.post(url, {"title": "商议会议记录", "upload": scan}).status_code == 302
    attachment = Attachment.objects.get()
    download = reverse(
        "decisions:attachment_download",
        kwargs={"public_id": matter.public_id, "attachment_id": attachment.public_id},
    )
    response = staff_client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert outsider_client.get(download).status_code == 404


def test_an_upload_that_is_not_an_image_or_pdf_shows_an_error(staff_client, matter):
    url = reverse("decisions:attachment_upload", kwargs={"public_id": matter.public_id})
    fake = SimpleUploadedFile("scan.png", b"<html>not a picture</html>", content_type="image/png")
    response = staff_client.post(url, {"title": "照片", "upload": fake})
    assert response.status_code == 400 and services.ATTACHMENT_BAD_TYPE in response.content.decode()
    assert not Attachment.objects.exists()


# --- list, filters, exports -------------------------------------------------------------------------


def test_the_list_filters_by_state_and_overdue(staff_client, matter_at):
    late = matter_at(StepKind.RESOLVE)
    fresh = matter_at(None)
    page = staff_client.get(reverse("decisions:index"), {"overdue": "resolution"}).content.decode()
    assert late.title in page and fresh.title not in page
    page = staff_client.get(reverse("decisions:index"), {"state": "new"}).content.decode()
    assert fresh.title in page and late.title not in page


def test_the_list_filters_by_year_of_proposal(staff_client, matter_at):
    proposed_2025 = matter_at(StepKind.PROPOSE)
    page = staff_client.get(reverse("decisions:index"), {"year": 2025}).content.decode()
    assert proposed_2025.title in page
    page = staff_client.get(reverse("decisions:index"), {"year": 2024}).content.decode()
    assert proposed_2025.title not in page


def test_another_townships_code_is_not_a_valid_filter(staff_client, other_township):
    response = staff_client.get(reverse("decisions:index"), {"township": other_township.code})
    assert "筛选条件有误" in response.content.decode()


def test_the_xlsx_export_holds_the_same_rows_as_the_filtered_page(staff_client, matter_at):
    matter_at(StepKind.RESOLVE, title="甲事项")
    matter_at(None, title="乙事项")
    response = staff_client.get(reverse("decisions:index"), {"state": "resolved", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][2] == "事项名称"
    assert [row[2] for row in rows[1:]] == ["甲事项"]


def test_the_csv_export_holds_every_visible_matter_and_nothing_else(staff_client, matter_at, other_village):
    matter_at(None, title="本乡事项")
    matter_at(None, title="外乡事项", village=other_village)
    response = staff_client.get(reverse("decisions:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    titles = [row[2] for row in csv.reader(io.StringIO(text))][1:]
    assert titles == ["本乡事项"]


def test_an_unknown_export_format_is_a_bad_request(staff_client):
    assert staff_client.get(reverse("decisions:index"), {"export": "pdf"}).status_code == 400


# --- query bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    staff_client, village, staff, rows, django_assert_max_num_queries
):
    MatterFactory.create_batch(rows, village=village, created_by=staff)
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("decisions:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("attachments", [1, 12])
def test_the_matter_page_runs_a_fixed_number_of_queries(
    staff_client, matter_at, staff, attachments, django_assert_max_num_queries
):
    matter = matter_at(StepKind.DISCLOSE_RESULT)
    for n in range(attachments):
        upload = SimpleUploadedFile(f"{n}.png", b"\x89PNG\r\n\x1a\n0000")
        services.attachment_add(matter=matter, user=staff, title=f"附件{n}", upload=upload)
    with django_assert_max_num_queries(10):  # one more: the corrections of the steps
        response = staff_client.get(detail_url(matter))
    assert response.status_code == 200


def test_the_village_page_shows_its_matters(staff_client, matter, village):
    page = staff_client.get(
        reverse("villages:village_detail", kwargs={"code": village.code})
    ).content.decode()
    assert matter.title in page


def test_the_dashboard_counts_matters(official_client, matter_at):
    matter_at(StepKind.RESOLVE)
    page = official_client.get(reverse("dashboard")).content.decode()
    assert "决议逾期未公开" in page


def test_steps_recorded_by_services_are_in_the_history(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    assert Step.history.filter(matter_id=matter.pk).count() == 1


def test_with_combined_leadership_the_proposal_form_offers_one_meeting(staff_client, matter, village):
    from cadres.models import Committee, Position
    from tests.cadres.factories import PostFactory

    page = staff_client.get(detail_url(matter)).content.decode()
    assert 'name="merge"' not in page
    secretary = PostFactory(village=village, committee=Committee.BRANCH, position=Position.SECRETARY)
    PostFactory(
        village=village, person=secretary.person, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    )
    page = staff_client.get(detail_url(matter)).content.decode()
    assert 'name="merge"' in page
    data = vote_data(TODAY, 7, 5, 5, text="提议并商议。", merge="on")
    assert staff_client.post(step_url(matter, "propose"), {**data, "confirmed": "1"}).status_code == 302
    matter.refresh_from_db()
    assert matter.state == Matter.State.CONSULTED
    assert matter.steps.get(kind=StepKind.CONSULT).merged_with_proposal


def test_a_merged_proposal_without_combined_leadership_is_refused_with_the_reason(staff_client, matter):
    data = vote_data(TODAY, 7, 5, 5, text="提议并商议。", merge="on")
    response = staff_client.post(step_url(matter, "propose"), data)
    assert response.status_code == 400 and services.MERGE_NOT_ALLOWED in response.content.decode()
    assert not matter.steps.exists()
