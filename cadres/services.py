"""Writes to cadre records (DESIGN §4). Views, the admin, demo data and commands all call these.

Every function is atomic, validates with ``full_clean()`` and raises ``ValidationError`` with one
of the module's Chinese messages (tests assert them exactly). State machines: one function per
transition, each checking the current stage first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cadres import idnumbers
from cadres.models import (
    POSITIONS_BY_COMMITTEE,
    TERM_YEARS,
    Development,
    DevelopmentStage,
    Evaluation,
    IdNumberReveal,
    Person,
    Post,
    ReserveCadre,
    ReserveOutcome,
    ReserveStage,
    ReserveTraining,
    Sex,
    active_on_q,
)
from governance.fields import date_out_of_range
from governance.integrity import save_checked
from governance.roles import Role
from governance.versioning import lock_for_update

logger = logging.getLogger(__name__)

# People and ID numbers
ID_DUPLICATE_VISIBLE = gettext_lazy("该身份证号码已登记为%(name)s（%(village)s），请勿重复登记。")
# Said when the holder is outside the user's jurisdiction: it must not tell that the person exists
# elsewhere (DESIGN has no transfer flow that would need it), only that this number cannot be used.
ID_DUPLICATE_HIDDEN = gettext_lazy("该身份证号码不能在本乡镇登记，请核对号码；如有疑问请与县委组织部联系。")
REVEAL_DENIED = gettext_lazy("只有该人员所在乡镇的工作人员和县级审核人员可以查看完整身份证号码。")
REVEAL_LOG_DENIED = gettext_lazy("身份证号码查看记录由县级审核人员查阅。")
REVEAL_LIMIT_REACHED = gettext_lazy(
    "每人每%(minutes)s分钟最多查看%(limit)s次完整身份证号码，您已达到上限，请于 %(time)s 后再查看。"
)

# Posts
POST_WRONG_COMMITTEE = gettext_lazy("“%(position)s”不属于%(committee)s。")
POST_OVERLAP = gettext_lazy("%(village)s在该期间已有%(position)s（%(person)s），请先为其办理离任。")
POST_ALREADY_ENDED = gettext_lazy("该任职已于%(date)s离任。")
POST_END_BEFORE_START = gettext_lazy("离任日期不能早于任职日期。")

# Evaluations
EVALUATION_NOT_A_CADRE = gettext_lazy("%(name)s在%(year)s年未在%(village)s任职，不能记录两述一评。")
EVALUATION_BEFORE_YEAR = gettext_lazy("评议日期不能早于所评年度（%(year)s年）。")

# Party-member development
DEV_UNDER_AGE = gettext_lazy("申请入党须年满18周岁，申请日该人员未满18周岁。")
DEV_TALK_LATE = gettext_lazy("支部应在收到入党申请后一个月内谈话（最迟%(latest)s）。")
DEV_TALK_BEFORE_APPLICATION = gettext_lazy("谈话日期不能早于申请日期。")
DEV_NO_TALK = gettext_lazy("须先记录支部谈话，才能确定为入党积极分子。")
DEV_WRONG_STAGE = gettext_lazy("当前阶段为“%(current)s”，不能进行此操作（须为“%(required)s”）。")
DEV_DATE_BACKWARDS = gettext_lazy("日期不能早于上一环节的日期（%(previous)s）。")
DEV_ACTIVIST_TOO_SHORT = gettext_lazy("确定为入党积极分子满一年后才能列为发展对象（最早%(earliest)s）。")
DEV_QUORUM = gettext_lazy("有表决权的到会人数须超过应到会人数的半数（应到%(due)s人，至少%(needed)s人）。")
DEV_VOTES = gettext_lazy("赞成票须超过应到会有表决权党员的半数（应到%(due)s人，至少%(needed)s票）。")
DEV_PRESENT_OVER_DUE = gettext_lazy("实到人数不能多于应到人数。")
DEV_YES_OVER_PRESENT = gettext_lazy("赞成票不能多于实到人数。")
DEV_ALREADY_EXTENDED = gettext_lazy("预备期只能延长一次。")
DEV_EXTENSION_RANGE = gettext_lazy("预备期延长时间须为6至12个月。")
DEV_EXTENSION_AFTER_END = gettext_lazy("延长预备期须在预备期满前决定（预备期满%(end)s）。")
DEV_PROBATION_NOT_OVER = gettext_lazy("预备期满（%(end)s）后才能讨论转正。")

# 3512 reserve cadres
RESERVE_WRONG_STAGE = gettext_lazy("当前环节为“%(current)s”，下一步只能是“%(next)s”。")
RESERVE_CLOSED = gettext_lazy("该后备干部已有去向（%(outcome)s），不能再办理。")
RESERVE_DATE_BACKWARDS = gettext_lazy("日期不能早于上一环节的日期（%(previous)s）。")
RESERVE_MENTOR_NO_POST = gettext_lazy("帮带干部须在结对日有在任职务。")
RESERVE_MENTOR_SELF = gettext_lazy("帮带干部不能是后备干部本人。")
RESERVE_APPOINT_NOT_PAIRED = gettext_lazy("完成“结对帮”后才能任用。")
RESERVE_APPOINT_WRONG_POST = gettext_lazy("任用职务须是该后备干部本人在本村的任职。")
RESERVE_WITHDRAW_REASON = gettext_lazy("请填写退出原因。")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        # Only a date no form accepts gets here (governance.fields bounds them): a rule error, not a crash.
        raise date_out_of_range()
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _error(message: str, field: str | None = None, **params) -> ValidationError:
    text = str(message) % params if params else str(message)
    return ValidationError({field: text}) if field else ValidationError(text)


# ---------------------------------------------------------------- people


def _check_duplicate_id(*, number: str, user, exclude_pk: int | None = None) -> None:
    """A duplicate names the existing person only if the user may see them (no cross-township leak)."""
    from cadres.selectors import people_visible_to

    existing = Person.objects.filter(id_number_hash=idnumbers.keyed_hash(number)).exclude(pk=exclude_pk)
    if not existing.exists():
        return
    visible = people_visible_to(user).filter(pk__in=existing.values("pk")).first()
    if visible is not None:
        raise _error(ID_DUPLICATE_VISIBLE, "id_number", name=visible.name, village=visible.home_village.name)
    logger.info("registration refused: ID number held outside the jurisdiction of user %s", user.pk)
    raise _error(ID_DUPLICATE_HIDDEN, "id_number")


def _is_male(sex: str | None) -> bool | None:
    """The sex the ID number's 17th digit must encode (odd = male); None when not given."""
    return None if not sex else sex == Sex.MALE


@transaction.atomic
def person_create(*, user, id_number: str, **fields) -> Person:
    """Register a person. ``fields`` are Person's editable fields (name, sex, … home_village)."""
    person = Person(**fields)
    try:
        number = idnumbers.validate_id_number(
            id_number, birth_date=fields.get("birth_date"), male=_is_male(fields.get("sex"))
        )
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    _check_duplicate_id(number=number, user=user)
    person.set_id_number(number)
    # Two clerks registering the same number at once: the second gets the duplicate message.
    save_checked(person, recheck=lambda: _check_duplicate_id(number=number, user=user))
    return person


@transaction.atomic
def person_update(
    *, person: Person, user, id_number: str = "", version: int | None = None, **fields
) -> Person:
    """Change a person's details; a blank ``id_number`` keeps the stored one, which must still match
    the (possibly changed) birth date. ``version``: the one the form was opened at (no lost update,
    see governance.versioning)."""
    lock_for_update(person, version=version)
    for name, value in fields.items():
        setattr(person, name, value)
    number = id_number or person.reveal_id_number()
    try:
        number = idnumbers.validate_id_number(number, birth_date=person.birth_date, male=_is_male(person.sex))
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    if id_number:
        _check_duplicate_id(number=number, user=user, exclude_pk=person.pk)
        person.set_id_number(number)
    save_checked(person)
    return person


def may_reveal_id_number(*, person: Person, user) -> bool:
    """Township staff of the person's township and county officials of its county. Admins manage
    accounts, not people, so they are not included."""
    if not (user.is_authenticated and user.is_active):
        return False
    township = person.home_village.township
    if user.role == Role.TOWNSHIP_STAFF:
        return user.township_id == township.pk
    if user.role == Role.COUNTY_OFFICIAL:
        return user.county_id == township.county_id
    return False


class RevealLimitReached(Exception):
    """The user has revealed ``ID_NUMBER_REVEAL_LIMIT`` whole numbers within the window; nothing
    was revealed or logged. ``retry_at``: when the next reveal is allowed."""

    def __init__(self, retry_at: dt.datetime) -> None:
        self.retry_at = retry_at
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        # Rounded up to the minute, so "after 14:36" is never a minute too early.
        shown = timezone.localtime(self.retry_at + dt.timedelta(seconds=59)).strftime("%Y-%m-%d %H:%M")
        return REVEAL_LIMIT_REACHED % {
            "minutes": settings.ID_NUMBER_REVEAL_WINDOW_MINUTES,
            "limit": settings.ID_NUMBER_REVEAL_LIMIT,
            "time": shown,
        }


def reveal_allowed_again_at(*, user) -> dt.datetime | None:
    """None while ``user`` is under the reveal limit; otherwise when the next reveal is allowed.

    Counted in SQL from the reveal log: with the user's reveals in the window newest first, the
    limit-th one is the reveal whose leaving the window brings the count back under the limit.
    """
    window = dt.timedelta(minutes=settings.ID_NUMBER_REVEAL_WINDOW_MINUTES)
    limit = settings.ID_NUMBER_REVEAL_LIMIT
    edge = list(
        IdNumberReveal.objects.filter(user=user, revealed_at__gt=timezone.now() - window)
        .order_by("-revealed_at")
        .values_list("revealed_at", flat=True)[limit - 1 : limit]
    )
    return edge[0] + window if edge else None


@transaction.atomic
def person_reveal_id_number(*, person: Person, user) -> str:
    """The whole ID number, after logging who saw it and when; refused beyond the per-user limit
    (``RevealLimitReached``), and then nothing is logged."""
    if not may_reveal_id_number(person=person, user=user):
        raise PermissionDenied(REVEAL_DENIED)
    # One user's reveals one at a time, so two sent together cannot both slip under the limit.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    retry_at = reveal_allowed_again_at(user=user)
    if retry_at is not None:
        raise RevealLimitReached(retry_at)
    IdNumberReveal.objects.create(user=user, person=person)
    return person.reveal_id_number()


# ---------------------------------------------------------------- posts


@transaction.atomic
def post_create(
    *,
    person: Person,
    village,
    committee: str,
    position: str,
    start_date: dt.date,
    term_end: dt.date | None = None,
) -> Post:
    """Give a person a post. A single-holder position (secretary, director, supervision chair) may
    not overlap another holder's dates; the database guards the open-ended case too."""
    if position not in POSITIONS_BY_COMMITTEE.get(committee, []):
        raise _error(
            POST_WRONG_COMMITTEE,
            "position",
            position=Post(position=position).get_position_display(),
            committee=Post(committee=committee).get_committee_display(),
        )
    post = Post(
        person=person,
        village=village,
        committee=committee,
        position=position,
        start_date=start_date,
        term_end=term_end or add_months(start_date, 12 * TERM_YEARS),
    )
    if position in ("secretary", "director", "supervision_chair"):
        # The new post is open-ended: any holder who had not left before it starts overlaps it.
        clash = Post.objects.filter(village=village, position=position).exclude(end_date__lt=start_date)
        holder = clash.select_related("person").order_by("start_date").first()
        if holder is not None:
            raise _error(
                POST_OVERLAP,
                "position",
                village=village.name,
                position=post.get_position_display(),
                person=holder.person.name,
            )
    save_checked(post)
    return post


@transaction.atomic
def post_end(*, post: Post, end_date: dt.date) -> Post:
    """Record that the holder left the post on ``end_date``."""
    if post.end_date is not None:
        raise _error(POST_ALREADY_ENDED, "end_date", date=post.end_date.isoformat())
    if end_date < post.start_date:
        raise _error(POST_END_BEFORE_START, "end_date")
    post.end_date = end_date
    save_checked(post)
    return post


# ---------------------------------------------------------------- evaluations


@transaction.atomic
def evaluation_record(
    *,
    person: Person,
    village,
    year: int,
    performance: str,
    integrity: str,
    evaluated_on: dt.date,
    notes: str = "",
) -> Evaluation:
    """Record one cadre's 两述一评 for a year (one per person and year). The person must have held
    a post in the village at some time during that year, and the review follows the year's start."""
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    held = Post.objects.filter(person=person, village=village, start_date__lte=year_end).exclude(
        end_date__lt=year_start
    )
    if not held.exists():
        raise _error(EVALUATION_NOT_A_CADRE, "person", name=person.name, year=year, village=village.name)
    if evaluated_on < year_start:
        raise _error(EVALUATION_BEFORE_YEAR, "evaluated_on", year=year)
    evaluation = Evaluation(
        person=person,
        village=village,
        year=year,
        performance=performance,
        integrity=integrity,
        evaluated_on=evaluated_on,
        notes=notes,
    )
    save_checked(evaluation)
    return evaluation


# ---------------------------------------------------------------- party-member development


def _require_stage(development: Development, stage: str) -> None:
    if development.stage != stage:
        raise _error(
            DEV_WRONG_STAGE,
            current=development.get_stage_display(),
            required=DevelopmentStage(stage).label,
        )


def _not_before(day: dt.date, previous: dt.date | None, field: str = "on") -> None:
    if previous is not None and day < previous:
        raise _error(DEV_DATE_BACKWARDS, field, previous=previous.isoformat())


def _check_meeting(*, due: int, present: int, yes: int) -> None:
    """Admission and conversion meetings: more than half of the voting members due must attend, and
    yes-votes must be more than half of those due (DESIGN §4)."""
    if present > due:
        raise _error(DEV_PRESENT_OVER_DUE, "present")
    if yes > present:
        raise _error(DEV_YES_OVER_PRESENT, "yes")
    needed = due // 2 + 1
    if present < needed:
        raise _error(DEV_QUORUM, "present", due=due, needed=needed)
    if yes < needed:
        raise _error(DEV_VOTES, "yes", due=due, needed=needed)


def _check_talk(*, applied_on: dt.date, talked_on: dt.date | None) -> None:
    if talked_on is None:
        return
    if talked_on < applied_on:
        raise _error(DEV_TALK_BEFORE_APPLICATION, "talked_on")
    latest = add_months(applied_on, 1)
    if talked_on > latest:
        raise _error(DEV_TALK_LATE, "talked_on", latest=latest.isoformat())


@transaction.atomic
def development_apply(
    *, person: Person, village, applied_on: dt.date, talked_on: dt.date | None = None, tags: str = ""
) -> Development:
    """入党申请人: a written application; the applicant must be 18 or older on the day."""
    if person.age_on(applied_on) < 18:
        raise _error(DEV_UNDER_AGE, "applied_on")
    _check_talk(applied_on=applied_on, talked_on=talked_on)
    development = Development(
        person=person, village=village, applied_on=applied_on, talked_on=talked_on, tags=tags
    )
    save_checked(development)
    return development


@transaction.atomic
def development_record_talk(*, development: Development, talked_on: dt.date) -> Development:
    """The branch's talk with the applicant, due within one month of the application."""
    _require_stage(development, DevelopmentStage.APPLICANT)
    _check_talk(applied_on=development.applied_on, talked_on=talked_on)
    development.talked_on = talked_on
    save_checked(development)
    return development


@transaction.atomic
def development_make_activist(*, development: Development, on: dt.date) -> Development:
    """入党申请人 → 入党积极分子, once the branch has talked with the applicant."""
    _require_stage(development, DevelopmentStage.APPLICANT)
    if development.talked_on is None:
        raise _error(DEV_NO_TALK)
    _not_before(on, development.talked_on)
    development.stage, development.activist_on = DevelopmentStage.ACTIVIST, on
    save_checked(development)
    return development


@transaction.atomic
def development_make_candidate(*, development: Development, on: dt.date) -> Development:
    """入党积极分子 → 发展对象, after at least one year as an activist."""
    _require_stage(development, DevelopmentStage.ACTIVIST)
    earliest = add_months(development.activist_on, 12)
    if on < earliest:
        raise _error(DEV_ACTIVIST_TOO_SHORT, "on", earliest=earliest.isoformat())
    development.stage, development.candidate_on = DevelopmentStage.CANDIDATE, on
    save_checked(development)
    return development


@transaction.atomic
def development_admit(
    *, development: Development, on: dt.date, due: int, present: int, yes: int
) -> Development:
    """发展对象 → 预备党员 by a branch meeting; probation runs one year from the meeting."""
    _require_stage(development, DevelopmentStage.CANDIDATE)
    _not_before(on, development.candidate_on)
    _check_meeting(due=due, present=present, yes=yes)
    development.stage = DevelopmentStage.PROBATIONARY
    development.admitted_on = on
    development.admission_due, development.admission_present, development.admission_yes = due, present, yes
    development.probation_ends_on = add_months(on, 12)
    save_checked(development)
    return development


@transaction.atomic
def development_extend_probation(*, development: Development, on: dt.date, months: int) -> Development:
    """Extend probation once, by 6 to 12 months, decided before it ends."""
    _require_stage(development, DevelopmentStage.PROBATIONARY)
    if development.extension_months is not None:
        raise _error(DEV_ALREADY_EXTENDED)
    if not 6 <= months <= 12:
        raise _error(DEV_EXTENSION_RANGE, "months")
    _not_before(on, development.admitted_on)
    if on > development.probation_ends_on:
        raise _error(DEV_EXTENSION_AFTER_END, "on", end=development.probation_ends_on.isoformat())
    development.extension_months, development.extended_on = months, on
    development.probation_ends_on = add_months(development.probation_ends_on, months)
    save_checked(development)
    return development


@transaction.atomic
def development_confirm(
    *, development: Development, on: dt.date, due: int, present: int, yes: int
) -> Development:
    """预备党员 → 正式党员 by a branch meeting held when probation is over."""
    _require_stage(development, DevelopmentStage.PROBATIONARY)
    if on < development.probation_ends_on:
        raise _error(DEV_PROBATION_NOT_OVER, "on", end=development.probation_ends_on.isoformat())
    _check_meeting(due=due, present=present, yes=yes)
    development.stage = DevelopmentStage.FULL_MEMBER
    development.confirmed_on = on
    development.confirmation_due, development.confirmation_present = due, present
    development.confirmation_yes = yes
    save_checked(development)
    return development


# ---------------------------------------------------------------- 3512 reserve cadres

_NEXT_STAGE = {
    ReserveStage.RECOMMENDED: ReserveStage.REVIEWED,
    ReserveStage.REVIEWED: ReserveStage.DECIDED,
    ReserveStage.DECIDED: ReserveStage.PAIRED,
}
_STAGE_DATE = {
    ReserveStage.RECOMMENDED: "recommended_on",
    ReserveStage.REVIEWED: "reviewed_on",
    ReserveStage.DECIDED: "decided_on",
    ReserveStage.PAIRED: "paired_on",
}


def _require_open(reserve: ReserveCadre) -> None:
    if reserve.outcome != ReserveOutcome.IN_RESERVE:
        raise _error(RESERVE_CLOSED, outcome=reserve.get_outcome_display())


def _advance(reserve: ReserveCadre, *, to: str, on: dt.date) -> None:
    """Move to the next selection step, in order, with a date not before the previous step's."""
    _require_open(reserve)
    if _NEXT_STAGE.get(reserve.stage) != to:
        following = _NEXT_STAGE.get(reserve.stage)
        raise _error(
            RESERVE_WRONG_STAGE,
            current=reserve.get_stage_display(),
            next=following.label if following else "—",
        )
    previous = getattr(reserve, _STAGE_DATE[reserve.stage])
    if on < previous:
        raise _error(RESERVE_DATE_BACKWARDS, "on", previous=previous.isoformat())
    reserve.stage = to
    setattr(reserve, _STAGE_DATE[to], on)


@transaction.atomic
def reserve_recommend(
    *, village, plan_year: int, person: Person, recommended_on: dt.date, notes: str = ""
) -> ReserveCadre:
    """党群荐: put a person on the village's reserve bench for a plan year."""
    reserve = ReserveCadre(
        village=village, plan_year=plan_year, person=person, recommended_on=recommended_on, notes=notes
    )
    save_checked(reserve)
    return reserve


@transaction.atomic
def reserve_review(*, reserve: ReserveCadre, on: dt.date) -> ReserveCadre:
    """两委审: reviewed by the two committees."""
    _advance(reserve, to=ReserveStage.REVIEWED, on=on)
    save_checked(reserve)
    return reserve


@transaction.atomic
def reserve_decide(*, reserve: ReserveCadre, on: dt.date) -> ReserveCadre:
    """综合定: decided by the township."""
    _advance(reserve, to=ReserveStage.DECIDED, on=on)
    save_checked(reserve)
    return reserve


@transaction.atomic
def reserve_pair(*, reserve: ReserveCadre, on: dt.date, mentor: Person) -> ReserveCadre:
    """结对帮: paired with a mentor, who must hold a post on that day."""
    if mentor.pk == reserve.person_id:
        raise _error(RESERVE_MENTOR_SELF, "mentor")
    if not Post.objects.filter(active_on_q(on), person=mentor).exists():
        raise _error(RESERVE_MENTOR_NO_POST, "mentor")
    _advance(reserve, to=ReserveStage.PAIRED, on=on)
    reserve.mentor = mentor
    save_checked(reserve)
    return reserve


@transaction.atomic
def reserve_training_add(
    *, reserve: ReserveCadre, trained_on: dt.date, course: str, hours: Decimal
) -> ReserveTraining:
    training = ReserveTraining(reserve=reserve, trained_on=trained_on, course=course, hours=hours)
    save_checked(training)
    return training


@transaction.atomic
def reserve_appoint(*, reserve: ReserveCadre, post: Post) -> ReserveCadre:
    """Outcome: appointed, linked to the post the reserve cadre now holds in the village."""
    _require_open(reserve)
    if reserve.stage != ReserveStage.PAIRED:
        raise _error(RESERVE_APPOINT_NOT_PAIRED)
    if post.person_id != reserve.person_id or post.village_id != reserve.village_id:
        raise _error(RESERVE_APPOINT_WRONG_POST, "post")
    reserve.outcome, reserve.appointed_post = ReserveOutcome.APPOINTED, post
    save_checked(reserve)
    return reserve


@transaction.atomic
def reserve_withdraw(*, reserve: ReserveCadre, reason: str) -> ReserveCadre:
    """Outcome: withdrawn from the bench, with a reason."""
    _require_open(reserve)
    if not reason.strip():
        raise _error(RESERVE_WITHDRAW_REASON, "reason")
    reserve.outcome, reserve.withdrawal_reason = ReserveOutcome.WITHDRAWN, reason.strip()
    save_checked(reserve)
    return reserve
