"""Order, dates, bad counts, the merged first step, rejection, concurrency and attachments."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from cadres.models import Committee, Position
from decisions import services
from decisions.models import Attachment, Matter, Step, StepKind
from decisions.services import Vote
from tests.cadres.factories import PostFactory
from tests.decisions.factories import MatterFactory, advance, passing_vote

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 2)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def one_shot(matter, staff, vote):
    return services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=vote)


# --- order ------------------------------------------------------------------------------------------


def test_a_step_cannot_be_skipped(matter, staff):
    with pytest.raises(ValidationError) as caught:
        services.matter_review(matter=matter, user=staff, held_on=DAY, vote=passing_vote())
    assert caught.value.messages == [services.STEP_OUT_OF_ORDER % {"expected": "提议"}]
    assert not matter.steps.exists()


def test_disclosure_cannot_come_before_the_resolution(matter_at, staff):
    matter = matter_at(StepKind.REVIEW)
    with pytest.raises(ValidationError) as caught:
        services.matter_disclose_resolution(matter=matter, user=staff, held_on=DAY, place="村务公开栏")
    assert caught.value.messages == [services.STEP_OUT_OF_ORDER % {"expected": "决议"}]


def test_a_recorded_step_cannot_be_recorded_again(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(ValidationError) as caught:
        services.matter_propose(matter=matter, user=staff, held_on=DAY, text="再次提议")
    assert caught.value.messages == [services.STEP_ALREADY_RECORDED]
    assert matter.steps.count() == 1


def test_the_full_procedure_ends_with_the_result_disclosed(matter_at):
    matter = matter_at(StepKind.DISCLOSE_RESULT)
    assert matter.state == Matter.State.COMPLETED
    assert list(matter.steps.values_list("kind", flat=True)) == list(StepKind.values)
    assert (
        matter.proposed_on
        and matter.resolved_on
        and matter.resolution_disclosed_on
        and matter.result_disclosed_on
    )


def test_one_row_per_matter_and_step_is_a_database_constraint(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.create(matter=matter, kind=StepKind.PROPOSE, held_on=DAY, recorded_by=staff)


# --- dates ------------------------------------------------------------------------------------------


def test_a_step_cannot_be_dated_in_the_future(matter, staff):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.matter_propose(matter=matter, user=staff, held_on=tomorrow, text="提议")
    assert caught.value.message_dict["held_on"] == [services.DATE_IN_FUTURE]


def test_a_step_may_be_dated_today(matter, staff):
    services.matter_propose(matter=matter, user=staff, held_on=timezone.localdate(), text="提议")
    matter.refresh_from_db()
    assert matter.state == Matter.State.PROPOSED


def test_a_step_cannot_be_dated_before_the_previous_one(matter, staff):
    services.matter_propose(matter=matter, user=staff, held_on=DAY, text="提议")
    with pytest.raises(ValidationError) as caught:
        services.matter_consult(
            matter=matter, user=staff, held_on=DAY - dt.timedelta(days=1), vote=passing_vote()
        )
    assert caught.value.message_dict["held_on"] == [
        services.DATE_BEFORE_PREVIOUS % {"previous": "2025-06-02"}
    ]


def test_a_step_may_be_held_the_same_day_as_the_previous_one(matter, staff):
    services.matter_propose(matter=matter, user=staff, held_on=DAY, text="提议")
    services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=passing_vote())
    matter.refresh_from_db()
    assert matter.state == Matter.State.CONSULTED


# --- counts -----------------------------------------------------------------------------------------


def test_more_present_than_due_is_refused_and_nothing_saved(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(ValidationError) as caught:
        one_shot(matter, staff, Vote(members_due=7, present=8, votes_for=8, votes_against=0, votes_abstain=0))
    assert caught.value.message_dict["present"] == [services.PRESENT_OVER_DUE]
    assert matter.steps.count() == 1


def test_more_votes_than_people_present_is_refused(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(ValidationError) as caught:
        one_shot(matter, staff, Vote(members_due=7, present=6, votes_for=4, votes_against=2, votes_abstain=1))
    assert caught.value.message_dict["votes_for"] == [services.VOTES_OVER_PRESENT]
    assert matter.steps.count() == 1


def test_votes_equal_to_those_present_are_accepted(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    one_shot(matter, staff, Vote(members_due=7, present=6, votes_for=4, votes_against=1, votes_abstain=1))
    assert matter.steps.count() == 2


def test_the_database_refuses_votes_over_attendance_even_past_the_service(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.create(
            matter=matter,
            kind=StepKind.CONSULT,
            held_on=DAY,
            recorded_by=staff,
            members_due=7,
            present=5,
            votes_for=5,
            votes_against=1,
            votes_abstain=0,
        )


def test_the_database_refuses_more_present_than_due(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.create(
            matter=matter,
            kind=StepKind.CONSULT,
            held_on=DAY,
            recorded_by=staff,
            members_due=5,
            present=6,
            votes_for=1,
            votes_against=0,
            votes_abstain=0,
        )


# --- the merged first step (一肩挑) ------------------------------------------------------------------


def make_combined_leadership(village):
    secretary = PostFactory(village=village, committee=Committee.BRANCH, position=Position.SECRETARY)
    PostFactory(
        village=village, person=secretary.person, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    )


def test_with_combined_leadership_proposal_and_consultation_are_one_meeting(matter, staff, village):
    make_combined_leadership(village)
    services.matter_propose(
        matter=matter, user=staff, held_on=DAY, text="提议", merged_consultation=passing_vote(7)
    )
    matter.refresh_from_db()
    assert matter.state == Matter.State.CONSULTED
    consult = matter.steps.get(kind=StepKind.CONSULT)
    assert consult.merged_with_proposal and consult.held_on == DAY


def test_without_combined_leadership_the_merged_meeting_is_refused(matter, staff, village):
    PostFactory(village=village, committee=Committee.BRANCH, position=Position.SECRETARY)
    PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    with pytest.raises(ValidationError) as caught:
        services.matter_propose(
            matter=matter, user=staff, held_on=DAY, text="提议", merged_consultation=passing_vote(7)
        )
    assert caught.value.message_dict["merge"] == [services.MERGE_NOT_ALLOWED]
    assert not matter.steps.exists()


def test_combined_leadership_is_judged_on_the_meeting_date(matter, staff, village):
    make_combined_leadership(village)  # posts start 2021-04-01
    with pytest.raises(ValidationError):
        services.matter_propose(
            matter=matter,
            user=staff,
            held_on=dt.date(2021, 3, 31),
            text="提议",
            merged_consultation=passing_vote(7),
        )


def test_a_merged_meeting_still_needs_its_quorum(matter, staff, village):
    make_combined_leadership(village)
    with pytest.raises(ValidationError):
        services.matter_propose(
            matter=matter,
            user=staff,
            held_on=DAY,
            text="提议",
            merged_consultation=Vote(members_due=7, present=3, votes_for=3, votes_against=0, votes_abstain=0),
        )
    assert not matter.steps.exists()


def test_with_combined_leadership_the_meetings_may_still_be_separate(matter, staff, village):
    make_combined_leadership(village)
    services.matter_propose(matter=matter, user=staff, held_on=DAY, text="提议")
    matter.refresh_from_db()
    assert matter.state == Matter.State.PROPOSED


# --- rejection --------------------------------------------------------------------------------------


def test_a_failed_vote_rejects_the_matter_and_keeps_the_record(matter_at, staff):
    matter = matter_at(StepKind.CONSULT)
    services.matter_review(
        matter=matter,
        user=staff,
        held_on=DAY,
        vote=Vote(members_due=20, present=18, votes_for=10, votes_against=8, votes_abstain=0),
    )
    matter.refresh_from_db()
    assert matter.state == Matter.State.REJECTED
    review = matter.steps.get(kind=StepKind.REVIEW)
    assert review.passed is False and review.votes_for == 10


def test_a_rejected_matter_takes_no_further_steps(matter_at, staff):
    matter = matter_at(StepKind.CONSULT)
    services.matter_review(
        matter=matter,
        user=staff,
        held_on=DAY,
        vote=Vote(members_due=20, present=18, votes_for=2, votes_against=16, votes_abstain=0),
    )
    with pytest.raises(ValidationError) as caught:
        services.matter_resolve(
            matter=matter, user=staff, held_on=DAY, meeting_type="representatives", vote=passing_vote(30)
        )
    assert caught.value.messages == [services.MATTER_CLOSED]


# --- disclosure -------------------------------------------------------------------------------------


def test_the_notice_period_defaults_to_the_policy(resolved, staff):
    step = services.matter_disclose_resolution(matter=resolved, user=staff, held_on=DAY, place="村务公开栏")
    assert step.notice_days == 7


def test_a_notice_period_shorter_than_the_policy_is_refused(resolved, staff):
    with pytest.raises(ValidationError) as caught:
        services.matter_disclose_resolution(
            matter=resolved, user=staff, held_on=DAY, place="村务公开栏", notice_days=6
        )
    assert caught.value.message_dict["notice_days"] == [services.NOTICE_TOO_SHORT % {"days": 7}]


@pytest.mark.parametrize(("notice_days", "ok"), [(6, False), (7, True), (8, True)])
def test_the_notice_period_is_at_least_the_policys_seven_days(resolved, staff, notice_days, ok):
    def disclose():
        return services.matter_disclose_resolution(
            matter=resolved, user=staff, held_on=DAY, place="村务公开栏", notice_days=notice_days
        )

    if ok:
        assert disclose().notice_days == notice_days
        return
    with pytest.raises(ValidationError) as caught:
        disclose()
    assert caught.value.message_dict["notice_days"] == [services.NOTICE_TOO_SHORT % {"days": 7}]
    assert not resolved.steps.filter(kind=StepKind.DISCLOSE_RESOLUTION).exists()


@pytest.mark.parametrize(("notice_days", "ok"), [(9, False), (10, True)])
def test_a_longer_notice_period_in_the_policy_raises_the_minimum(resolved, staff, notice_days, ok):
    from decisions.models import DecisionPolicy

    DecisionPolicy.objects.update_or_create(pk=1, defaults={"notice_period_days": 10})
    if ok:
        services.matter_disclose_resolution(
            matter=resolved, user=staff, held_on=DAY, place="村务公开栏", notice_days=notice_days
        )
        return
    with pytest.raises(ValidationError) as caught:
        services.matter_disclose_resolution(
            matter=resolved, user=staff, held_on=DAY, place="村务公开栏", notice_days=notice_days
        )
    assert caught.value.message_dict["notice_days"] == [services.NOTICE_TOO_SHORT % {"days": 10}]


# --- concurrency ------------------------------------------------------------------------------------


def test_a_stale_copy_of_the_matter_is_told_the_step_was_already_recorded(matter, staff):
    stale = Matter.objects.get(pk=matter.pk)
    services.matter_propose(matter=matter, user=staff, held_on=DAY, text="提议")
    with pytest.raises(ValidationError) as caught:
        services.matter_propose(matter=stale, user=staff, held_on=DAY, text="提议")
    assert caught.value.messages == [services.STEP_ALREADY_RECORDED]


@pytest.mark.django_db(transaction=True)
def test_two_users_recording_the_same_step_at_once_one_wins(village, staff):
    matter = advance(MatterFactory(village=village, created_by=staff), user=staff, through=StepKind.PROPOSE)
    barrier = threading.Barrier(2)
    outcomes = []

    def record():
        try:
            barrier.wait(timeout=5)
            services.matter_consult(matter=matter, user=staff, held_on=DAY, vote=passing_vote(7))
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["ok", services.STEP_ALREADY_RECORDED])
    assert matter.steps.filter(kind=StepKind.CONSULT).count() == 1


# --- attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "file_type"), [(PNG, "png"), (JPEG, "jpeg"), (PDF, "pdf")])
def test_images_and_pdfs_are_stored_by_their_content(matter, staff, content, file_type):
    upload = SimpleUploadedFile("scan.bin", content, content_type="application/octet-stream")
    attachment = services.attachment_add(matter=matter, user=staff, title="会议记录", upload=upload)
    assert attachment.file_type == file_type
    assert attachment.file.name.startswith("decisions/") and "scan" not in attachment.file.name
    assert attachment.file.read() == content


def test_a_file_that_only_claims_to_be_an_image_is_refused(matter, staff):
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(matter=matter, user=staff, title="照片", upload=upload)
    assert caught.value.message_dict["upload"] == [services.ATTACHMENT_BAD_TYPE]
    assert not Attachment.objects.exists()


@override_settings(DECISIONS_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_and_one_at_the_limit_accepted(matter, staff):
    at_limit = SimpleUploadedFile("a.png", PNG + b"\x00" * (1024 * 1024 - len(PNG)))
    services.attachment_add(matter=matter, user=staff, title="扫描件", upload=at_limit)
    over = SimpleUploadedFile("b.png", PNG + b"\x00" * (1024 * 1024 - len(PNG) + 1))
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(matter=matter, user=staff, title="扫描件", upload=over)
    assert caught.value.message_dict["upload"] == [services.ATTACHMENT_TOO_LARGE % {"limit": 1}]
    assert Attachment.objects.count() == 1
