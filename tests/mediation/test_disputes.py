"""Disputes: logging, the parties and personal-data rules, the mediator rule, closing (dates and
the confirmation page), follow-ups, corrections of a closed dispute, committee rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mediation import services
from mediation.models import Category, Dispute, DisputeCorrection, FollowUp, Member, Outcome
from tests.factories import VillageFactory
from tests.helpers import database_unchanged
from tests.mediation.factories import DisputeFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECEIVED = TODAY - dt.timedelta(days=20)


def _form(village, mediator, **changes):
    data = {
        "village": village.code,
        "received_on": RECEIVED.isoformat(),
        "parties": "扎西示甲、卓玛示乙",
        "category": Category.GRASSLAND,
        "summary": "两户对夏季草场分界有争议。",
        "mediator": str(mediator.public_id),
    }
    return {**data, **changes}


def _close(dispute, **changes):
    data = {"outcome": Outcome.AGREEMENT, "closed_on": TODAY.isoformat(), "agreement_on": TODAY.isoformat()}
    return {**data, **changes}


# ---------------------------------------------------------------- logging


def test_a_township_clerk_logs_a_dispute_with_names_only(staff_client, staff, village, chair):
    response = staff_client.post(
        reverse("mediation:dispute_new"), _form(village, chair, parties="扎西示甲，卓玛示乙")
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mediation:dispute_detail", args=[dispute.public_id])
    assert dispute.parties == "扎西示甲、卓玛示乙", "names are kept joined by 、"
    assert dispute.outcome == Outcome.OPEN and dispute.closed_on is None
    assert dispute.history.get().history_user == staff


@pytest.mark.parametrize(
    "field,value",
    [
        ("parties", "扎西示甲、513301198001010019"),
        ("parties", "扎西示甲 13812345678"),
        ("summary", "当事人电话0836-2812345，要求尽快处理。"),
        ("summary", "身份证号513301198001010019。"),
    ],
)
def test_an_id_number_or_phone_in_parties_or_summary_is_refused_and_nothing_saved(
    staff_client, village, chair, field, value
):
    with database_unchanged():
        response = staff_client.post(
            reverse("mediation:dispute_new"), _form(village, chair, **{field: value})
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号码" in page and "电话" in page, "the error says what is refused"
    assert "两户对夏季草场分界有争议" in page or field == "summary", "the other typed values come back"


def test_the_service_refuses_personal_data_too(staff, village, chair):
    with pytest.raises(ValidationError) as refused:
        services.dispute_create(
            village=village,
            user=staff,
            received_on=RECEIVED,
            parties="扎西示甲、13812345678",
            category=Category.LAND,
            summary="宅基地边界。",
            mediator=chair,
        )
    assert refused.value.message_dict["parties"] == [services.PARTIES_PERSONAL]
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    "parties,ok",
    [
        ("扎西示甲", True),  # one name
        ("甲、乙、丙、丁、戊、己", True),  # six names: the most
        ("甲、乙、丙、丁、戊、己、庚", False),  # seven
        ("", False),
        ("、，", False),
        ("扎西示甲2号", False),  # a digit is not part of a name
    ],
)
def test_parties_are_one_to_six_names(parties, ok):
    if ok:
        assert services.clean_parties(parties)
    else:
        with pytest.raises(ValidationError):
            services.clean_parties(parties)


def test_a_mediator_not_on_the_villages_committee_is_refused(staff_client, village, chair, township):
    neighbour = VillageFactory(township=township, code="513301101202")
    stranger = MemberFactory(committee__village=neighbour)
    with database_unchanged():
        response = staff_client.post(reverse("mediation:dispute_new"), _form(village, stranger))
    assert response.status_code == 400
    assert "调解员须是所选村（社区）人民调解委员会的成员" in response.content.decode()


def test_the_service_refuses_a_mediator_of_another_village_or_one_who_left_before(
    staff, village, chair, township
):
    neighbour = VillageFactory(township=township, code="513301101202")
    stranger = MemberFactory(committee__village=neighbour)
    former = MemberFactory(committee=chair.committee, end_date=RECEIVED - dt.timedelta(days=1))
    for mediator in (stranger, former):
        with pytest.raises(ValidationError) as refused:
            services.dispute_create(
                village=village,
                user=staff,
                received_on=RECEIVED,
                parties="扎西示甲",
                category=Category.LAND,
                summary="宅基地边界。",
                mediator=mediator,
            )
        assert refused.value.message_dict["mediator"] == [services.MEDIATOR_NOT_MEMBER]
    # A member who left on the received date was still a member that day.
    on_the_day = MemberFactory(committee=chair.committee, end_date=RECEIVED)
    services.dispute_create(
        village=village,
        user=staff,
        received_on=RECEIVED,
        parties="扎西示甲",
        category=Category.LAND,
        summary="宅基地边界。",
        mediator=on_the_day,
    )


# ---------------------------------------------------------------- closing


def test_closing_asks_to_confirm_then_closes_with_the_agreement(staff_client, staff, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    url = reverse("mediation:dispute_close", args=[dispute.public_id])
    assert staff_client.get(url).status_code == 200
    with database_unchanged():
        preview = staff_client.post(url, _close(dispute))
    assert preview.status_code == 200
    assert "确认办理" in preview.content.decode() and "将以“达成协议”" in preview.content.decode()
    done = staff_client.post(url, {**_close(dispute), "confirmed": "1"})
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.closed_on, dispute.agreement_on) == (Outcome.AGREEMENT, TODAY, TODAY)
    assert dispute.history.first().history_user == staff


@pytest.mark.parametrize("days_before", [1, 30])
def test_a_dispute_closed_before_it_was_received_is_refused(staff_client, village, chair, days_before):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    url = reverse("mediation:dispute_close", args=[dispute.public_id])
    closed = (RECEIVED - dt.timedelta(days=days_before)).isoformat()
    with database_unchanged():
        response = staff_client.post(
            url, {**_close(dispute, outcome=Outcome.UNRESOLVED, closed_on=closed), "confirmed": "1"}
        )
    assert response.status_code == 400
    assert f"办结日期不能早于受理日期（{RECEIVED.isoformat()}）" in response.content.decode()


def test_closing_on_the_received_date_is_allowed(staff, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    services.dispute_close(dispute=dispute, user=staff, outcome=Outcome.UNRESOLVED, closed_on=RECEIVED)
    assert Dispute.objects.get().closed_on == RECEIVED


def test_an_agreement_dated_before_the_received_date_is_refused(staff_client, staff, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    url = reverse("mediation:dispute_close", args=[dispute.public_id])
    before = (RECEIVED - dt.timedelta(days=1)).isoformat()
    with database_unchanged():
        response = staff_client.post(url, {**_close(dispute, agreement_on=before), "confirmed": "1"})
    assert response.status_code == 400
    assert f"达成协议日期不能早于受理日期（{RECEIVED.isoformat()}）" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.dispute_close(
            dispute=dispute,
            user=staff,
            outcome=Outcome.AGREEMENT,
            closed_on=TODAY,
            agreement_on=RECEIVED - dt.timedelta(days=1),
        )
    assert refused.value.message_dict["agreement_on"] == [
        services.AGREEMENT_BEFORE_RECEIVED % {"day": RECEIVED.isoformat()}
    ]
    # On the received date itself it is accepted.
    services.dispute_close(
        dispute=dispute, user=staff, outcome=Outcome.AGREEMENT, closed_on=TODAY, agreement_on=RECEIVED
    )
    assert Dispute.objects.get().agreement_on == RECEIVED


def test_an_agreement_needs_its_date_and_a_referral_its_receiver(staff, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    with pytest.raises(ValidationError) as refused:
        services.dispute_close(dispute=dispute, user=staff, outcome=Outcome.AGREEMENT, closed_on=TODAY)
    assert refused.value.message_dict["agreement_on"] == [services.AGREEMENT_REQUIRED]
    with pytest.raises(ValidationError) as refused:
        services.dispute_close(dispute=dispute, user=staff, outcome=Outcome.REFERRED, closed_on=TODAY)
    assert refused.value.message_dict["referred_to"] == [services.REFERRED_REQUIRED]
    services.dispute_close(
        dispute=dispute, user=staff, outcome=Outcome.REFERRED, closed_on=TODAY, referred_to="司法所"
    )
    assert Dispute.objects.get().referred_to == "司法所"


def test_the_database_refuses_dates_out_of_order_behind_the_forms(village, chair):
    """CheckConstraints behind the services: closed before received, agreement before received,
    an agreement without its date, a closed dispute without a closing date."""
    base = {"village": village, "mediator": chair, "received_on": RECEIVED}
    bad = [
        {"outcome": Outcome.UNRESOLVED, "closed_on": RECEIVED - dt.timedelta(days=1)},
        {"outcome": Outcome.AGREEMENT, "closed_on": TODAY, "agreement_on": RECEIVED - dt.timedelta(days=1)},
        {"outcome": Outcome.AGREEMENT, "closed_on": TODAY},
        {"outcome": Outcome.UNRESOLVED},
        {"outcome": Outcome.REFERRED, "closed_on": TODAY, "referred_to": ""},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            DisputeFactory(**base, **values)


def test_a_closed_dispute_is_not_edited_but_corrected_with_a_reason(staff_client, staff, village, chair):
    dispute = DisputeFactory(
        village=village,
        mediator=chair,
        received_on=RECEIVED,
        outcome=Outcome.UNRESOLVED,
        closed_on=TODAY,
    )
    edit = staff_client.get(reverse("mediation:dispute_edit", args=[dispute.public_id]))
    assert edit.status_code == 302, "a closed dispute's edit page leads back to the dispute"
    url = reverse("mediation:dispute_correct", args=[dispute.public_id])
    with database_unchanged():
        no_reason = staff_client.post(url, _close(dispute, reason=""))
    assert no_reason.status_code == 400
    response = staff_client.post(url, _close(dispute, reason="录入时选错了结果。"))
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == Outcome.AGREEMENT and dispute.agreement_on == TODAY
    correction = DisputeCorrection.objects.get()
    assert correction.changes["outcome"] == ["unresolved", "agreement"]
    assert correction.corrected_by == staff
    page = staff_client.get(reverse("mediation:dispute_detail", args=[dispute.public_id])).content.decode()
    assert "录入时选错了结果。" in page and "未化解 → 达成协议" in page


def test_a_follow_up_before_the_received_date_is_refused(staff_client, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED)
    url = reverse("mediation:follow_up_add", args=[dispute.public_id])
    before = (RECEIVED - dt.timedelta(days=1)).isoformat()
    with database_unchanged():
        response = staff_client.post(url, {"visited_on": before, "note": "上门回访。"})
    assert response.status_code == 400
    assert f"回访日期不能早于受理日期（{RECEIVED.isoformat()}）" in response.content.decode()
    assert (
        staff_client.post(url, {"visited_on": RECEIVED.isoformat(), "note": "上门回访。"}).status_code == 302
    )
    assert FollowUp.objects.get().visited_on == RECEIVED


# ---------------------------------------------------------------- committee


def test_a_committee_has_one_chair_and_a_new_chair_replaces_the_old(staff, village, chair):
    person = PersonFactory(home_village=village)
    new = services.member_add(village=village, user=staff, person=person, start_date=TODAY, is_chair=True)
    chair.refresh_from_db()
    assert new.is_chair and not chair.is_chair
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=chair.pk).update(is_chair=True)


def test_a_person_of_another_county_cannot_join(staff, village, other_county_village):
    outsider = PersonFactory(home_village=other_county_village)
    with pytest.raises(ValidationError) as refused:
        services.member_add(village=village, user=staff, person=outsider, start_date=TODAY)
    assert refused.value.message_dict["person"] == [services.PERSON_OTHER_COUNTY]


def test_the_committee_page_adds_a_member_and_sets_a_chair(staff_client, village, chair):
    person = PersonFactory(home_village=village, name="格桑示丙")
    url = reverse("mediation:committee", args=[village.code])
    response = staff_client.post(url, {"person": str(person.public_id), "start_date": TODAY.isoformat()})
    assert response.status_code == 302
    added = Member.objects.get(person=person)
    staff_client.post(reverse("mediation:member_chair", args=[added.public_id]))
    added.refresh_from_db()
    chair.refresh_from_db()
    assert added.is_chair and not chair.is_chair
    page = staff_client.get(url).content.decode()
    assert "格桑示丙" in page


@pytest.mark.parametrize(("days", "old"), [(30, False), (31, True)])
def test_the_disputes_page_flags_it_open_for_more_than_30_days_from_the_31st_day(
    staff_client, village, chair, days, old
):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=TODAY - dt.timedelta(days=days))
    url = reverse("mediation:dispute_detail", args=[dispute.public_id])
    assert ('<span class="badge bad">调解中超过30天</span>' in staff_client.get(url).content.decode()) is old


def test_a_closed_dispute_received_long_ago_is_not_flagged(staff_client, staff, village, chair):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=TODAY - dt.timedelta(days=45))
    services.dispute_close(dispute=dispute, user=staff, outcome=Outcome.UNRESOLVED, closed_on=TODAY)
    page = staff_client.get(reverse("mediation:dispute_detail", args=[dispute.public_id])).content.decode()
    assert "调解中超过30天" not in page


def test_an_edit_saved_by_someone_else_first_is_refused_with_a_link_and_kept(
    staff_client, staff, village, chair
):
    dispute = DisputeFactory(village=village, mediator=chair, received_on=RECEIVED, summary="原来的概要。")
    seen = dispute.version
    services.dispute_update(
        dispute=dispute,
        user=staff,
        version=seen,
        received_on=RECEIVED,
        parties=dispute.parties,
        category=dispute.category,
        summary="别人先保存的概要。",
        mediator=chair,
    )
    url = reverse("mediation:dispute_edit", args=[dispute.public_id])
    data = {**_form(village, chair, summary="我改的概要。"), "version": seen}
    with database_unchanged():
        response = staff_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "在新窗口查看最新内容" in page and "我改的概要。" in page
    dispute.refresh_from_db()
    assert dispute.summary == "别人先保存的概要。"
