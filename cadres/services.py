"""Writes to cadre records (DESIGN §4). Views, the admin, demo data and commands all call these.

Every function is atomic, validates with ``full_clean()`` and raises ``ValidationError`` with one
of the module's Chinese messages (tests assert them exactly). State machines: one function per
transition, each checking the current stage first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cadres import idnumbers
from cadres.membership import (
    admit_membership,
    committee_rule_check,
    confirm_membership,
    sync_development_dates,
)
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
    Sex,
    active_on_q,
)
from governance.fields import date_out_of_range
from governance.integrity import save_checked
from governance.roles import Role, may_write_for
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
POST_TERM_END_BEFORE_START = gettext_lazy("任期届满日期应晚于任职日期。")

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
    # DESIGN §3/§5: committee posts need 7+ full members, committees 3-5, the 纪检委员 chairs supervision.
    committee_rule_check(
        village=village, committee=committee, position=position, person=person, start_date=start_date
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
    admit_membership(development=development, on=on)  # the probationary membership starts here
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
    confirm_membership(development=development, on=on)  # the only way a membership becomes full
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


# ---------------------------------------------------------------- corrections (更正)
# A recorded stage, an ended post or an evaluation is never a dead end: its township corrects what
# was recorded, with a required reason (governance/corrections.py). Only fields already recorded can
# be corrected, and the corrected record must pass every rule its first recording passed.

CORRECTION_NOT_OWN_TOWNSHIP = gettext_lazy("只有该记录所在乡镇的工作人员可以更正。")
CORRECTION_CHANGES_OUTCOME = gettext_lazy(
    "更正后的票数将使表决结果由“通过”变为“未通过”，不能作为更正办理：%(rule)s如表决实际未通过，请与县委组织部联系。"
)
CORRECTION_EXTENSION_AFTER_END = gettext_lazy("延长预备期须在原预备期满前决定（原预备期满%(end)s）。")
CORRECTION_POST_OVERLAP = gettext_lazy(
    "%(village)s在该期间已有%(position)s（%(person)s），任职期间不能重叠。"
)
CORRECTION_POST_EVALUATION = gettext_lazy(
    "%(name)s%(year)s年的两述一评以该任职为依据，更正后该年度不在任职期间内。"
)
CORRECTION_REQUIRED = gettext_lazy("已记录的内容不能清空。")

DEVELOPMENT_CORRECTABLE = [
    "applied_on",
    "talked_on",
    "activist_on",
    "candidate_on",
    "admitted_on",
    "admission_due",
    "admission_present",
    "admission_yes",
    "extended_on",
    "extension_months",
    "confirmed_on",
    "confirmation_due",
    "confirmation_present",
    "confirmation_yes",
]
RESERVE_CORRECTABLE = ["recommended_on", "reviewed_on", "decided_on", "paired_on", "mentor"]
POST_CORRECTABLE = ["start_date", "term_end", "end_date"]
EVALUATION_CORRECTABLE = ["performance", "integrity", "evaluated_on", "notes"]


def correctable_fields(record) -> list[str]:
    """The fields of ``record`` a correction may change: those already recorded (never a stage not
    yet reached: that is an action, not a correction)."""
    if isinstance(record, Development):
        return [name for name in DEVELOPMENT_CORRECTABLE if getattr(record, name) is not None]
    if isinstance(record, ReserveCadre):
        return [name for name in RESERVE_CORRECTABLE if getattr(record, name) is not None]
    if isinstance(record, Post):
        return [name for name in POST_CORRECTABLE if getattr(record, name) is not None]
    if isinstance(record, Evaluation):
        return list(EVALUATION_CORRECTABLE)
    from cadres import stationing

    if isinstance(record, stationing.Stationing):
        return stationing.correctable_fields(record)
    raise TypeError(type(record))


def _check_own_township(user, village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(CORRECTION_NOT_OWN_TOWNSHIP)


def _corrected_values(record, reason: str, values: dict, *, optional: tuple = ()) -> tuple[str, dict, dict]:
    """(reason, the record's correctable fields with the corrected values, the changes). Raises on a
    blank reason, a field not recorded, a recorded value cleared, or nothing changed."""
    from governance.corrections import changed_fields, nothing_to_correct, require_reason

    reason = require_reason(reason)
    allowed = correctable_fields(record)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not correctable on this record: {sorted(unknown)}")
    new = {name: values.get(name, getattr(record, name)) for name in allowed}
    for name, value in new.items():
        if value is None and name not in optional:
            raise _error(CORRECTION_REQUIRED, name)
    changes = changed_fields(record, new)
    if not changes:
        raise nothing_to_correct()
    return reason, new, changes


def _check_meeting_kept(*, due: int, present: int, yes: int) -> None:
    """A corrected meeting passes the same checks; numbers that would make it fail are a different
    outcome, refused as such (a correction never flips a decision)."""
    if present > due:
        raise _error(DEV_PRESENT_OVER_DUE, "present")
    if yes > present:
        raise _error(DEV_YES_OVER_PRESENT, "yes")
    try:
        _check_meeting(due=due, present=present, yes=yes)
    except ValidationError as exc:
        rule = " ".join(exc.messages)
        raise _error(CORRECTION_CHANGES_OUTCOME, rule=rule) from exc


def _prefixed(exc: ValidationError, mapping: dict[str, str]) -> ValidationError:
    """A stage rule's error (on ``on``/``present``/``yes``) moved to the corrected field's name."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({mapping.get(field, field): errors for field, errors in exc.error_dict.items()})


def _check_development(person: Person, d: dict) -> dt.date | None:
    """Every rule of the development stages on the corrected values; returns probation's end."""
    if person.age_on(d["applied_on"]) < 18:
        raise _error(DEV_UNDER_AGE, "applied_on")
    _check_talk(applied_on=d["applied_on"], talked_on=d.get("talked_on"))
    if d.get("activist_on") is not None:
        _not_before(d["activist_on"], d["talked_on"], "activist_on")
    if d.get("candidate_on") is not None:
        earliest = add_months(d["activist_on"], 12)
        if d["candidate_on"] < earliest:
            raise _error(DEV_ACTIVIST_TOO_SHORT, "candidate_on", earliest=earliest.isoformat())
    if d.get("admitted_on") is None:
        return None
    _not_before(d["admitted_on"], d["candidate_on"], "admitted_on")
    try:
        _check_meeting_kept(due=d["admission_due"], present=d["admission_present"], yes=d["admission_yes"])
    except ValidationError as exc:
        raise _prefixed(exc, {"present": "admission_present", "yes": "admission_yes"}) from exc
    probation_ends_on = add_months(d["admitted_on"], 12)
    if d.get("extended_on") is not None:
        if not 6 <= d["extension_months"] <= 12:
            raise _error(DEV_EXTENSION_RANGE, "extension_months")
        _not_before(d["extended_on"], d["admitted_on"], "extended_on")
        if d["extended_on"] > probation_ends_on:
            raise _error(CORRECTION_EXTENSION_AFTER_END, "extended_on", end=probation_ends_on.isoformat())
        probation_ends_on = add_months(probation_ends_on, d["extension_months"])
    if d.get("confirmed_on") is not None:
        if d["confirmed_on"] < probation_ends_on:
            raise _error(DEV_PROBATION_NOT_OVER, "confirmed_on", end=probation_ends_on.isoformat())
        try:
            _check_meeting_kept(
                due=d["confirmation_due"], present=d["confirmation_present"], yes=d["confirmation_yes"]
            )
        except ValidationError as exc:
            raise _prefixed(exc, {"present": "confirmation_present", "yes": "confirmation_yes"}) from exc
    return probation_ends_on


@transaction.atomic
def development_correct(*, development: Development, user, reason: str, **values):
    """Correct the recorded dates and meeting numbers of a development (``DEVELOPMENT_CORRECTABLE``,
    only those already recorded), with a reason. Probation's end follows the corrected admission and
    extension; a correction that would turn a passed admission or confirmation vote into a failed
    one is refused (``CORRECTION_CHANGES_OUTCOME``)."""
    from cadres.models import DevelopmentCorrection
    from governance.corrections import plain, record_correction

    development = (
        Development.objects.select_for_update().select_related("person", "village").get(pk=development.pk)
    )
    _check_own_township(user, development.village)
    reason, new, changes = _corrected_values(development, reason, values)
    probation_ends_on = _check_development(development.person, new)
    if probation_ends_on != development.probation_ends_on:
        changes["probation_ends_on"] = [plain(development.probation_ends_on), plain(probation_ends_on)]
    for name, value in new.items():
        setattr(development, name, value)
    development.probation_ends_on = probation_ends_on
    development._change_reason = reason[:100]
    save_checked(development)
    # The membership the admission opened follows its corrected dates (one rule: cadres/membership.py).
    sync_development_dates(development=development)
    return record_correction(
        DevelopmentCorrection(development=development), user=user, reason=reason, changes=changes
    )


@transaction.atomic
def reserve_correct(*, reserve: ReserveCadre, user, reason: str, **values):
    """Correct a reserve cadre's recorded step dates and mentor, with a reason: steps stay in
    order, and the mentor is someone else who held a post on the pairing day."""
    from cadres.models import ReserveCorrection
    from governance.corrections import record_correction

    reserve = ReserveCadre.objects.select_for_update().select_related("village").get(pk=reserve.pk)
    _check_own_township(user, reserve.village)
    reason, new, changes = _corrected_values(reserve, reason, values)
    previous = None
    for stage in ReserveStage:
        field = _STAGE_DATE[stage]
        day = new.get(field)
        if day is None:
            break
        if previous is not None and day < previous:
            raise _error(RESERVE_DATE_BACKWARDS, field, previous=previous.isoformat())
        previous = day
    if "mentor" in new:
        mentor = new["mentor"]
        if mentor.pk == reserve.person_id:
            raise _error(RESERVE_MENTOR_SELF, "mentor")
        if not Post.objects.filter(active_on_q(new["paired_on"]), person=mentor).exists():
            raise _error(RESERVE_MENTOR_NO_POST, "mentor")
    for name, value in new.items():
        setattr(reserve, name, value)
    reserve._change_reason = reason[:100]
    save_checked(reserve)
    return record_correction(ReserveCorrection(reserve=reserve), user=user, reason=reason, changes=changes)


@transaction.atomic
def post_correct(*, post: Post, user, reason: str, **values):
    """Correct a post's recorded start, term end or end date, with a reason. A single-holder position
    may not come to overlap another holder's dates, and the person's evaluations in the village must
    still fall in years they held a post there."""
    from cadres.models import PostCorrection
    from governance.corrections import record_correction

    post = Post.objects.select_for_update().select_related("person", "village").get(pk=post.pk)
    _check_own_township(user, post.village)
    reason, new, changes = _corrected_values(post, reason, values)
    start, end = new["start_date"], new.get("end_date")
    if end is not None and end < start:
        raise _error(POST_END_BEFORE_START, "end_date")
    if new.get("term_end") is not None and new["term_end"] <= start:
        raise _error(POST_TERM_END_BEFORE_START, "term_end")
    if post.position in ("secretary", "director", "supervision_chair"):
        # As post_create: another holder who had not left before this post starts, and who started
        # before it ended, overlaps it.
        clash = Post.objects.filter(village=post.village, position=post.position).exclude(pk=post.pk)
        clash = clash.exclude(end_date__lt=start)
        if end is not None:
            clash = clash.filter(start_date__lte=end)
        holder = clash.select_related("person").order_by("start_date").first()
        if holder is not None:
            raise _error(
                CORRECTION_POST_OVERLAP,
                "start_date",
                village=post.village.name,
                position=post.get_position_display(),
                person=holder.person.name,
            )
    for name, value in new.items():
        setattr(post, name, value)
    post._change_reason = reason[:100]
    save_checked(post)
    # evaluation_record's rule, for the evaluations this person already has in the village.
    for evaluation in Evaluation.objects.filter(person=post.person, village=post.village).order_by("year"):
        year_start, year_end = dt.date(evaluation.year, 1, 1), dt.date(evaluation.year, 12, 31)
        held = Post.objects.filter(person=post.person, village=post.village, start_date__lte=year_end)
        if not held.exclude(end_date__lt=year_start).exists():
            field = "end_date" if end is not None and end < year_start else "start_date"
            raise _error(CORRECTION_POST_EVALUATION, field, name=post.person.name, year=evaluation.year)
    return record_correction(PostCorrection(post=post), user=user, reason=reason, changes=changes)


@transaction.atomic
def evaluation_correct(*, evaluation: Evaluation, user, reason: str, **values):
    """Correct a recorded 两述一评's ratings, date or notes, with a reason (the date still follows the
    year's start)."""
    from cadres.models import EvaluationCorrection
    from governance.corrections import record_correction

    evaluation = Evaluation.objects.select_for_update().select_related("village").get(pk=evaluation.pk)
    _check_own_township(user, evaluation.village)
    if values.get("notes") is None and "notes" in values:
        values["notes"] = ""
    reason, new, changes = _corrected_values(evaluation, reason, values)
    if new["evaluated_on"] < dt.date(evaluation.year, 1, 1):
        raise _error(EVALUATION_BEFORE_YEAR, "evaluated_on", year=evaluation.year)
    for name, value in new.items():
        setattr(evaluation, name, value)
    evaluation._change_reason = reason[:100]
    save_checked(evaluation)
    return record_correction(
        EvaluationCorrection(evaluation=evaluation), user=user, reason=reason, changes=changes
    )


@transaction.atomic
def quota_schedule(
    *, user, county, effective_from: dt.date, today: dt.date | None = None, seen=None, **values
):
    """``county``'s 3512 quota (None: the default) from ``effective_from`` (today or later). A plan
    year is judged by the row in force on its 1 January (``ReserveQuota.for_year``), so this year's
    compliance never changes under a village."""
    from cadres.models import ReserveQuota
    from governance.policy import schedule

    return schedule(
        ReserveQuota,
        user=user,
        county=county,
        effective_from=effective_from,
        values=values,
        today=today,
        seen=seen,
    )
