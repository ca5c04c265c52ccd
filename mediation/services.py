"""Writes of 人民调解: committee members, disputes, closing, follow-up visits and corrections.

Every function is keyword-only, atomic and attributed (``_history_user``); township staff write
their own township's villages (``governance.roles.may_write_for``). Errors are the constants below,
asserted exactly in the tests.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.corrections import changed_fields, nothing_to_correct, record_correction
from governance.integrity import save_checked
from governance.privacy import contains_personal
from governance.roles import may_write_for
from governance.versioning import lock_for_update
from mediation.models import CLOSED_OUTCOMES, Committee, Dispute, DisputeCorrection, FollowUp, Member, Outcome

NOT_YOURS = gettext_noop("只有本乡镇的工作人员可以录入该村的人民调解记录。")
PERSON_OTHER_COUNTY = gettext_noop("调解委员会成员须是本县（市）干部名册中的人员。")
ALREADY_MEMBER = gettext_noop("此人已是该调解委员会的成员。")
MEMBER_ENDED = gettext_noop("该成员已离任。")
END_BEFORE_START = gettext_noop("离任日期不能早于任职日期。")
DATE_IN_FUTURE = gettext_noop("日期不能晚于今天。")
CHAIR_MUST_BE_CURRENT = gettext_noop("只有现任成员可以担任主任。")
PARTIES_PERSONAL = gettext_noop("当事人只填姓名，请勿填写身份证号码或电话号码。")
PARTIES_COUNT = gettext_noop("请填写1至6名当事人的姓名，用“、”或“，”分隔。")
PARTY_NAME = gettext_noop("“%(name)s”不像姓名：当事人只填姓名（不含数字），每个不超过20个字。")
MEDIATOR_NOT_MEMBER = gettext_noop("调解员须是该村人民调解委员会在受理日期或今天在任的成员。")
DISPUTE_CLOSED = gettext_noop("该纠纷已办结，不能修改；办结结果有误请用“更正”。")
DISPUTE_OPEN = gettext_noop("该纠纷尚在调解中，没有可更正的办结结果。")
CLOSE_OUTCOME = gettext_noop("请选择办结结果：达成协议、移送或未化解。")
CLOSED_BEFORE_RECEIVED = gettext_noop("办结日期不能早于受理日期（%(day)s）。")
AGREEMENT_REQUIRED = gettext_noop("达成协议的，请填写达成协议日期。")
AGREEMENT_BEFORE_RECEIVED = gettext_noop("达成协议日期不能早于受理日期（%(day)s）。")
AGREEMENT_AFTER_CLOSED = gettext_noop("达成协议日期不能晚于办结日期。")
REFERRED_REQUIRED = gettext_noop("移送的，请填写移送单位。")
VISIT_BEFORE_RECEIVED = gettext_noop("回访日期不能早于受理日期（%(day)s）。")

# Names are separated by 、 or ， (also the ASCII comma and semicolons people type by habit).
PARTY_SEPARATORS = re.compile(r"[、，,；;]+")
MAX_PARTIES = 6
MAX_NAME_LENGTH = 20


def _check_writer(user, village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(_(NOT_YOURS))


def _not_future(value: dt.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _(DATE_IN_FUTURE)}, code="future")


def clean_parties(text: str) -> str:
    """The parties as names only: 1-6 names separated by 、 or ，, none holding a digit (so no ID or
    phone number), returned joined by 、. Raises ValidationError on ``parties``."""
    text = (text or "").strip()
    if contains_personal(text):
        raise ValidationError({"parties": _(PARTIES_PERSONAL)}, code="personal_data")
    names = [name.strip() for name in PARTY_SEPARATORS.split(text) if name.strip()]
    if not 1 <= len(names) <= MAX_PARTIES:
        raise ValidationError({"parties": _(PARTIES_COUNT)}, code="parties")
    for name in names:
        if len(name) > MAX_NAME_LENGTH or any(ch.isdigit() for ch in name):
            raise ValidationError({"parties": _(PARTY_NAME) % {"name": name[:30]}}, code="party_name")
    return "、".join(names)


# ---------------------------------------------------------------- committee


def committee_for(village) -> Committee:
    """The village's committee, created on first use (its history says by whom)."""
    committee, _created = Committee.objects.get_or_create(village=village)
    return committee


@transaction.atomic
def member_add(*, village, user, person, start_date: dt.date, is_chair: bool = False) -> Member:
    """Put ``person`` (of the village's county) on the village's committee from ``start_date``;
    as chair, the current chair (if any) steps down as chair the same day."""
    _check_writer(user, village)
    _not_future(start_date, "start_date")
    if person.home_village.township.county_id != village.township.county_id:
        raise ValidationError({"person": _(PERSON_OTHER_COUNTY)}, code="county")
    committee = committee_for(village)
    Committee.objects.select_for_update().filter(pk=committee.pk).get()
    if committee.members.filter(person=person, end_date__isnull=True).exists():
        raise ValidationError({"person": _(ALREADY_MEMBER)}, code="duplicate")
    if is_chair:
        _drop_chair(committee, user)
    member = Member(committee=committee, person=person, start_date=start_date, is_chair=is_chair)
    member._history_user = user
    return save_checked(member)


def _drop_chair(committee: Committee, user) -> None:
    for chair in committee.members.filter(is_chair=True, end_date__isnull=True):
        chair.is_chair = False
        chair._history_user = user
        chair.save(update_fields=["is_chair"])


@transaction.atomic
def chair_set(*, member: Member, user) -> Member:
    """Make a current member the committee's chair (the previous chair stays a member)."""
    village = member.committee.village
    _check_writer(user, village)
    Committee.objects.select_for_update().filter(pk=member.committee_id).get()
    member.refresh_from_db()
    if member.end_date is not None:
        raise ValidationError(_(CHAIR_MUST_BE_CURRENT), code="ended")
    _drop_chair(member.committee, user)
    member.is_chair = True
    member._history_user = user
    return save_checked(member)


@transaction.atomic
def member_end(*, member: Member, user, end_date: dt.date) -> Member:
    """The member leaves the committee on ``end_date`` (a chair stops being chair). Disputes they
    mediated keep them as mediator."""
    _check_writer(user, member.committee.village)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.end_date is not None:
        raise ValidationError(_(MEMBER_ENDED), code="ended")
    _not_future(end_date, "end_date")
    if end_date < member.start_date:
        raise ValidationError({"end_date": _(END_BEFORE_START)}, code="order")
    member.end_date = end_date
    member.is_chair = False
    member._history_user = user
    return save_checked(member)


# ---------------------------------------------------------------- disputes


def _check_mediator(mediator: Member | None, village, received_on: dt.date) -> None:
    """The mediator is a member of the dispute's village committee, current on the received date
    or today (a member who joined since may take over an open dispute)."""
    today = timezone.localdate()
    ok = (
        mediator is not None
        and mediator.committee.village_id == village.pk
        and (mediator.current_on(received_on) or mediator.current_on(today))
    )
    if not ok:
        raise ValidationError({"mediator": _(MEDIATOR_NOT_MEMBER)}, code="mediator")


def _fill(dispute: Dispute, *, received_on, parties, category, summary, mediator) -> None:
    _not_future(received_on, "received_on")
    dispute.received_on = received_on
    dispute.parties = clean_parties(parties)
    dispute.category = category
    dispute.summary = (summary or "").strip()
    _check_mediator(mediator, dispute.village, received_on)
    dispute.mediator = mediator


@transaction.atomic
def dispute_create(
    *, village, user, received_on: dt.date, parties: str, category: str, summary: str, mediator: Member
) -> Dispute:
    """Log a dispute received by the village's committee; it is open (调解中) until closed."""
    _check_writer(user, village)
    dispute = Dispute(village=village, created_by=user)
    _fill(
        dispute,
        received_on=received_on,
        parties=parties,
        category=category,
        summary=summary,
        mediator=mediator,
    )
    dispute._history_user = user
    return save_checked(dispute)


@transaction.atomic
def dispute_update(
    *,
    dispute: Dispute,
    user,
    version: int | None,
    received_on: dt.date,
    parties: str,
    category: str,
    summary: str,
    mediator: Member,
) -> Dispute:
    """Change an open dispute (a closed one is corrected, ``dispute_correct``)."""
    _check_writer(user, dispute.village)
    lock_for_update(dispute, version=version)
    current = Dispute.objects.get(pk=dispute.pk)
    if not current.is_open:
        raise ValidationError(_(DISPUTE_CLOSED), code="closed")
    _fill(
        dispute,
        received_on=received_on,
        parties=parties,
        category=category,
        summary=summary,
        mediator=mediator,
    )
    for visit in current.follow_ups.filter(visited_on__lt=received_on)[:1]:
        raise ValidationError(
            {"received_on": _(VISIT_BEFORE_RECEIVED) % {"day": visit.visited_on}}, code="order"
        )
    dispute._history_user = user
    return save_checked(dispute)


def _check_outcome(
    dispute: Dispute, *, outcome: str, closed_on: dt.date, agreement_on: dt.date | None, referred_to: str
) -> dict:
    """The outcome's fields checked against the dispute's dates; the values to store."""
    if outcome not in CLOSED_OUTCOMES:
        raise ValidationError({"outcome": _(CLOSE_OUTCOME)}, code="outcome")
    _not_future(closed_on, "closed_on")
    received = dispute.received_on
    if closed_on < received:
        raise ValidationError(
            {"closed_on": _(CLOSED_BEFORE_RECEIVED) % {"day": received.isoformat()}}, code="closed_order"
        )
    referred_to = (referred_to or "").strip()
    if outcome == Outcome.AGREEMENT:
        if agreement_on is None:
            raise ValidationError({"agreement_on": _(AGREEMENT_REQUIRED)}, code="agreement")
        if agreement_on < received:
            raise ValidationError(
                {"agreement_on": _(AGREEMENT_BEFORE_RECEIVED) % {"day": received.isoformat()}},
                code="agreement_order",
            )
        if agreement_on > closed_on:
            raise ValidationError({"agreement_on": _(AGREEMENT_AFTER_CLOSED)}, code="agreement_order")
    else:
        agreement_on = None
    if outcome == Outcome.REFERRED:
        if not referred_to:
            raise ValidationError({"referred_to": _(REFERRED_REQUIRED)}, code="referred")
        if contains_personal(referred_to):
            raise ValidationError({"referred_to": _(PARTIES_PERSONAL)}, code="personal_data")
    else:
        referred_to = ""
    return {
        "outcome": outcome,
        "closed_on": closed_on,
        "agreement_on": agreement_on,
        "referred_to": referred_to,
    }


@transaction.atomic
def dispute_close(
    *,
    dispute: Dispute,
    user,
    outcome: str,
    closed_on: dt.date,
    agreement_on: dt.date | None = None,
    referred_to: str = "",
) -> Dispute:
    """调解中 → 达成协议 (with the agreement date), 移送 (to whom) or 未化解, on ``closed_on``."""
    _check_writer(user, dispute.village)
    lock_for_update(dispute, version=None)
    if not Dispute.objects.get(pk=dispute.pk).is_open:
        raise ValidationError(_(DISPUTE_CLOSED), code="closed")
    values = _check_outcome(
        dispute, outcome=outcome, closed_on=closed_on, agreement_on=agreement_on, referred_to=referred_to
    )
    for name, value in values.items():
        setattr(dispute, name, value)
    dispute._history_user = user
    return save_checked(dispute)


@transaction.atomic
def dispute_correct(
    *,
    dispute: Dispute,
    user,
    reason: str,
    outcome: str,
    closed_on: dt.date,
    agreement_on: dt.date | None = None,
    referred_to: str = "",
) -> DisputeCorrection:
    """Correct a closed dispute's outcome with a reason (governance/corrections.py): it stays
    closed; the correction lists old → new values."""
    _check_writer(user, dispute.village)
    lock_for_update(dispute, version=None)
    if Dispute.objects.get(pk=dispute.pk).is_open:
        raise ValidationError(_(DISPUTE_OPEN), code="open")
    values = _check_outcome(
        dispute, outcome=outcome, closed_on=closed_on, agreement_on=agreement_on, referred_to=referred_to
    )
    changes = changed_fields(dispute, values)
    if not changes:
        raise nothing_to_correct()
    for name, value in values.items():
        setattr(dispute, name, value)
    dispute._history_user = user
    save_checked(dispute)
    return record_correction(DisputeCorrection(dispute=dispute), user=user, reason=reason, changes=changes)


@transaction.atomic
def follow_up_add(*, dispute: Dispute, user, visited_on: dt.date, note: str) -> FollowUp:
    """A follow-up visit (回访) on or after the received date, not in the future."""
    _check_writer(user, dispute.village)
    _not_future(visited_on, "visited_on")
    if visited_on < dispute.received_on:
        raise ValidationError(
            {"visited_on": _(VISIT_BEFORE_RECEIVED) % {"day": dispute.received_on.isoformat()}}, code="order"
        )
    visit = FollowUp(dispute=dispute, visited_on=visited_on, note=(note or "").strip(), recorded_by=user)
    visit._history_user = user
    return save_checked(visit)
