"""Writes of 四议两公开: creating a matter, recording each of its six steps, adding attachments.

Every step service locks the matter row (``select_for_update``) before checking its state, so when two
users record the same step at once the second one waits, then sees the step already recorded and gets
``STEP_ALREADY_RECORDED`` instead of a duplicate or a crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadres.selectors import combined_leadership_on
from decisions import rules
from decisions.models import (
    NEXT_STEP,
    STATE_AFTER,
    Attachment,
    DecisionPolicy,
    Matter,
    MeetingType,
    Step,
    StepCorrection,
    StepKind,
)
from governance import attachments, corrections
from governance.corrections import changed_fields, nothing_to_correct, record_correction, require_reason
from governance.integrity import save_checked
from governance.preview import dry_run
from governance.versioning import lock_for_update

NOT_EDITABLE = gettext_noop("只有本乡镇的工作人员可以录入该事项。")
MATTER_CLOSED = gettext_noop("该事项已办结或未通过，不能再录入步骤。")
STEP_ALREADY_RECORDED = gettext_noop("该步骤已经录入（可能是其他人刚刚录入），请刷新页面查看。")
STEP_OUT_OF_ORDER = gettext_noop("步骤不能跳过或颠倒：当前应录入“%(expected)s”。")
DATE_IN_FUTURE = gettext_noop("日期不能晚于今天。")
DATE_BEFORE_PREVIOUS = gettext_noop("日期不能早于上一步骤（%(previous)s）。")
MERGE_NOT_ALLOWED = gettext_noop("该村在会议当日不是“一肩挑”，提议和商议须分别召开会议。")
PRESENT_OVER_DUE = gettext_noop("实到人数不能超过应到人数。")
VOTES_OVER_PRESENT = gettext_noop("赞成、反对、弃权票数之和不能超过实到人数。")
MEMBERS_DUE_REQUIRED = gettext_noop("应到人数至少为1。")
HOUSEHOLDS_OVER_TOTAL = gettext_noop("到会户代表户数不能超过本村户数。")
CONSULT_QUORUM_MISSED = gettext_noop(
    "商议须过半数“两委”成员到会：应到%(due)s人，实到%(present)s人，会议无效。"
)
REVIEW_QUORUM_MISSED = gettext_noop(
    "审议须%(num)s/%(den)s以上党员到会：应到%(due)s人，实到%(present)s人，会议无效。"
)
ASSEMBLY_QUORUM_MISSED = gettext_noop(
    "村民会议须本村18周岁以上村民过半数到会，或三分之二以上户的代表到会："
    "18周岁以上村民%(due)s人，到会%(present)s人；共%(households)s户，到会户代表%(represented)s户，会议无效。"
)
REPRESENTATIVES_QUORUM_MISSED = gettext_noop(
    "村民代表会议须三分之二以上组成人员到会：应到%(due)s人，实到%(present)s人，会议无效。"
)
MEETING_TYPE_REQUIRED = gettext_noop("请选择决议的会议类型。")
HOUSEHOLDS_REQUIRED = gettext_noop("村民会议须填写本村户数和到会户代表户数。")
NOTICE_TOO_SHORT = gettext_noop("公示天数不能少于%(days)s天。")
# The upload rules and their messages are governance.attachments' (shared with standards).
ATTACHMENT_BAD_TYPE = attachments.BAD_TYPE
ATTACHMENT_TOO_LARGE = attachments.TOO_LARGE
ATTACHMENT_EMPTY = attachments.EMPTY
DATE_BEFORE_VILLAGE = gettext_noop("日期不能早于本村设立日期（%(village_from)s）。")
DATE_AFTER_NEXT = gettext_noop("日期不能晚于下一步骤（%(following)s）。")
PLANNED_TOO_EARLY = gettext_noop("计划完成日期不能早于%(earliest)s（录入日前一年内，且不早于本村设立日期）。")
RESULT_BEFORE_NOTICE_END = gettext_noop(
    "决议自%(disclosed)s起公示%(days)s天，公示期满后才能公开实施结果：最早%(earliest)s。"
)
CORRECTION_CHANGES_OUTCOME = gettext_noop(
    "更正后的票数会改变表决结果（%(before)s→%(after)s）。表决结果不能通过更正改变；"
    "如确属录入错误，请联系县级管理员处理，并在更正说明中写明。"
)
CORRECTION_QUORUM = gettext_noop("更正后的到会人数达不到法定人数，会议无效，不能这样更正。")
# One wording for every correction in the portal (governance/corrections.py).
CORRECTION_NOTHING = corrections.NOTHING_CHANGED
CORRECTION_REASON_REQUIRED = corrections.REASON_REQUIRED
MATTER_LOCKED = gettext_noop(
    "事项已录入提议，名称、类别、金额和内容不能再修改；如需更正，请在后续步骤的纪要中说明。"
)

DEFAULT_ATTACHMENT_MAX_BYTES = attachments.DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Vote:
    """Attendance and votes of one meeting, as entered."""

    members_due: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int


def policy_current(county=None, on: dt.date | None = None) -> DecisionPolicy:
    """The policy in force for ``county`` (None: the deployment default) on ``on`` (default today),
    or DESIGN's defaults when none is saved (reading never writes)."""
    return DecisionPolicy.effective(county, on=on)


def policy_for(matter: Matter) -> DecisionPolicy:
    """The policy a step recorded today for ``matter`` is judged by (its county's)."""
    return policy_current(matter.village.township.county_id)


@transaction.atomic
def policy_schedule(
    *, user, county, effective_from: dt.date, today: dt.date | None = None, seen=None, **values
):
    """``county``'s 审议 thresholds and notice period (None: the default) from ``effective_from``
    (today or later). Steps already recorded keep the values they were recorded under."""
    from governance.policy import schedule

    return schedule(
        DecisionPolicy,
        user=user,
        county=county,
        effective_from=effective_from,
        values=values,
        today=today,
        seen=seen,
    )


def attachment_max_bytes() -> int:
    return attachments.max_bytes("DECISIONS_ATTACHMENT_MAX_BYTES")


@transaction.atomic
def matter_create(
    *,
    village,
    user,
    title: str,
    category: str,
    description: str,
    planned_completion: dt.date,
    amount: Decimal | None = None,
) -> Matter:
    _check_planned_completion(
        planned_completion, entered_on=timezone.localdate(), village_from=village.valid_from
    )
    matter = Matter(
        village=village,
        title=title,
        category=category,
        description=description,
        planned_completion=planned_completion,
        amount=amount,
        created_by=user,
    )
    save_checked(matter)
    return matter


@transaction.atomic
def matter_update(
    *,
    matter: Matter,
    user,
    title: str,
    category: str,
    description: str,
    planned_completion: dt.date,
    amount: Decimal | None = None,
    version: int | None = None,
) -> Matter:
    """Correct a matter (a typo in its title, the wrong category or amount) while it still waits for
    its proposal. Once 提议 is recorded the deliberations refer to this text, so it is frozen. The
    change is kept in the matter's history with who made it. ``version``: see governance.versioning."""
    matter = _locked(matter)
    if matter.state != Matter.State.NEW or matter.steps.exists():
        raise ValidationError(_(MATTER_LOCKED), code="locked")
    lock_for_update(matter, version=version)
    if planned_completion != matter.planned_completion:
        _check_planned_completion(
            planned_completion,
            entered_on=timezone.localdate(matter.created_at),
            village_from=matter.village.valid_from,
        )
    matter.title = title
    matter.category = category
    matter.description = description
    matter.planned_completion = planned_completion
    matter.amount = amount
    save_checked(matter)
    return matter


def _check_planned_completion(planned_completion: dt.date, *, entered_on: dt.date, village_from: dt.date):
    earliest = rules.earliest_planned_completion(entered_on=entered_on, village_from=village_from)
    if planned_completion < earliest:
        raise ValidationError(
            {"planned_completion": _(PLANNED_TOO_EARLY) % {"earliest": earliest.isoformat()}},
            code="planned_too_early",
        )


def _check_step_date(
    matter: Matter, held_on: dt.date, *, previous: dt.date | None, following: dt.date | None = None
) -> None:
    """The date rules of rules.step_date_problem, as a form error on ``held_on``."""
    problem = rules.step_date_problem(
        held_on=held_on,
        today=timezone.localdate(),
        village_from=matter.village.valid_from,
        previous=previous,
        following=following,
    )
    messages = {
        "future": lambda: _(DATE_IN_FUTURE),
        "before_village": lambda: (
            _(DATE_BEFORE_VILLAGE) % {"village_from": matter.village.valid_from.isoformat()}
        ),
        "backwards": lambda: _(DATE_BEFORE_PREVIOUS) % {"previous": previous.isoformat()},
        "after_next": lambda: _(DATE_AFTER_NEXT) % {"following": following.isoformat()},
    }
    if problem is not None:
        raise ValidationError({"held_on": messages[problem]()}, code=problem)


def _check_result_after_notice(matter: Matter, held_on: dt.date) -> None:
    disclosure = matter.steps.filter(kind=StepKind.DISCLOSE_RESOLUTION).first()
    if disclosure is None or not disclosure.notice_days:
        return
    earliest = rules.earliest_result_disclosure(
        disclosed_on=disclosure.held_on, notice_days=disclosure.notice_days
    )
    if held_on < earliest:
        params = {
            "disclosed": disclosure.held_on.isoformat(),
            "days": disclosure.notice_days,
            "earliest": earliest.isoformat(),
        }
        raise ValidationError({"held_on": _(RESULT_BEFORE_NOTICE_END) % params}, code="notice_running")


STEP_DATE_HINT = gettext_noop(
    "日期须在%(earliest)s至今天（%(today)s）之间：不早于本村设立日期和上一步骤，不晚于今天。"
)
RESULT_DATE_HINT = gettext_noop("决议公示期到%(last)s为止，实施结果最早%(earliest)s公开。")


def step_date_rule(matter: Matter, kind: StepKind) -> tuple[str, dt.date, dt.date]:
    """The date rule of the next step of ``matter``, for the form: (text, earliest, latest)."""
    today = timezone.localdate()
    earliest = matter.village.valid_from
    previous = [step.held_on for step in matter.steps.all() if step.kind < kind]
    if previous:
        earliest = max(earliest, *previous)
    hint = _(STEP_DATE_HINT) % {"earliest": earliest.isoformat(), "today": today.isoformat()}
    if kind == StepKind.DISCLOSE_RESULT:
        disclosure = next((s for s in matter.steps.all() if s.kind == StepKind.DISCLOSE_RESOLUTION), None)
        if disclosure is not None and disclosure.notice_days:
            first = rules.earliest_result_disclosure(
                disclosed_on=disclosure.held_on, notice_days=disclosure.notice_days
            )
            earliest = max(earliest, first)
            last = first - dt.timedelta(days=1)
            hint = f"{hint}{_(RESULT_DATE_HINT) % {'last': last.isoformat(), 'earliest': first.isoformat()}}"
    return hint, earliest, today


def _locked(matter: Matter) -> Matter:
    """The matter re-read under a row lock: concurrent step recordings queue here."""
    return Matter.objects.select_for_update().get(pk=matter.pk)


def _check_next(matter: Matter, kind: StepKind, held_on: dt.date) -> None:
    """Order and date rules shared by every step."""
    if matter.steps.filter(kind=kind).exists():
        raise ValidationError(_(STEP_ALREADY_RECORDED), code="already_recorded")
    if not matter.is_open:
        raise ValidationError(_(MATTER_CLOSED), code="closed")
    expected = NEXT_STEP[matter.state]
    if kind != expected:
        raise ValidationError(_(STEP_OUT_OF_ORDER) % {"expected": expected.label}, code="out_of_order")
    previous = matter.steps.order_by("-kind").values_list("held_on", flat=True).first()
    _check_step_date(matter, held_on, previous=previous)
    if kind == StepKind.DISCLOSE_RESULT:
        _check_result_after_notice(matter, held_on)


def _check_counts(vote: Vote) -> None:
    errors = {}
    if vote.members_due < 1:
        errors["members_due"] = _(MEMBERS_DUE_REQUIRED)
    if vote.present > vote.members_due:
        errors["present"] = _(PRESENT_OVER_DUE)
    if vote.votes_for + vote.votes_against + vote.votes_abstain > vote.present:
        errors["votes_for"] = _(VOTES_OVER_PRESENT)
    if errors:
        raise ValidationError(errors)


def _vote_fields(vote: Vote) -> dict:
    return {
        "members_due": vote.members_due,
        "present": vote.present,
        "votes_for": vote.votes_for,
        "votes_against": vote.votes_against,
        "votes_abstain": vote.votes_abstain,
    }


def _save_step(
    matter: Matter,
    *,
    kind: StepKind,
    user,
    held_on: dt.date,
    passed: bool = True,
    policy: DecisionPolicy | None = None,
    **fields,
) -> Step:
    step = Step(matter=matter, kind=kind, held_on=held_on, recorded_by=user, passed=passed, **fields)
    step.keep_rules(policy or policy_for(matter))
    # Constraints are checked above (counts) and by the row lock (one per kind); the database still
    # enforces them, so skipping their extra validation queries here loses nothing.
    step.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError as exc:
        # The lock makes this unreachable in practice; the constraint is the last line of defence.
        raise ValidationError(_(STEP_ALREADY_RECORDED), code="already_recorded") from exc
    return step


def disclose_by(resolve_step: Step) -> dt.date:
    """The last day to disclose a resolution: the vote's date plus the notice period recorded with it."""
    days = resolve_step.rule_notice_days
    if days is None:
        days = DecisionPolicy._meta.get_field("notice_period_days").default
    return resolve_step.held_on + dt.timedelta(days=days)


def _advance(
    matter: Matter, kind: StepKind, held_on: dt.date, *, passed: bool = True, step: Step | None = None
) -> None:
    matter.state = STATE_AFTER[kind] if passed else Matter.State.REJECTED
    dates = {
        StepKind.PROPOSE: "proposed_on",
        StepKind.RESOLVE: "resolved_on",
        StepKind.DISCLOSE_RESOLUTION: "resolution_disclosed_on",
        StepKind.DISCLOSE_RESULT: "result_disclosed_on",
    }
    update = ["state"]
    if passed and kind in dates:
        setattr(matter, dates[kind], held_on)
        update.append(dates[kind])
    if passed and kind == StepKind.RESOLVE:
        matter.disclose_by = disclose_by(step)
        update.append("disclose_by")
    matter.save(update_fields=update)


def _consult(matter: Matter, *, user, held_on: dt.date, vote: Vote, text: str, merged: bool) -> Step:
    _check_counts(vote)
    if not rules.consult_quorum_met(members_due=vote.members_due, present=vote.present):
        raise ValidationError(
            {"present": _(CONSULT_QUORUM_MISSED) % {"due": vote.members_due, "present": vote.present}},
            code="quorum",
        )
    passed = rules.consult_passed(present=vote.present, votes_for=vote.votes_for)
    step = _save_step(
        matter,
        kind=StepKind.CONSULT,
        user=user,
        held_on=held_on,
        passed=passed,
        text=text,
        merged_with_proposal=merged,
        **_vote_fields(vote),
    )
    _advance(matter, StepKind.CONSULT, held_on, passed=passed)
    return step


@transaction.atomic
def matter_propose(
    *, matter: Matter, user, held_on: dt.date, text: str, merged_consultation: Vote | None = None
) -> Step:
    """提议 by the village branch committee. With ``merged_consultation`` the same meeting also counts
    as 商议, which the regulation allows only where the branch secretary is also the villagers'
    committee director (一肩挑) on that day."""
    matter = _locked(matter)
    _check_next(matter, StepKind.PROPOSE, held_on)
    if merged_consultation is not None and not combined_leadership_on(village=matter.village, on=held_on):
        raise ValidationError({"merge": _(MERGE_NOT_ALLOWED)}, code="merge")
    step = _save_step(matter, kind=StepKind.PROPOSE, user=user, held_on=held_on, text=text)
    _advance(matter, StepKind.PROPOSE, held_on)
    if merged_consultation is not None:
        _consult(matter, user=user, held_on=held_on, vote=merged_consultation, text=text, merged=True)
    return step


@transaction.atomic
def matter_consult(*, matter: Matter, user, held_on: dt.date, vote: Vote, text: str = "") -> Step:
    """商议 by the joint meeting of the branch committee and the villagers' committee."""
    matter = _locked(matter)
    _check_next(matter, StepKind.CONSULT, held_on)
    return _consult(matter, user=user, held_on=held_on, vote=vote, text=text, merged=False)


@transaction.atomic
def matter_review(*, matter: Matter, user, held_on: dt.date, vote: Vote, text: str = "") -> Step:
    """审议 by the party members' assembly, against the configurable local thresholds."""
    matter = _locked(matter)
    _check_next(matter, StepKind.REVIEW, held_on)
    _check_counts(vote)
    policy = policy_for(matter)
    if not rules.review_quorum_met(members_due=vote.members_due, present=vote.present, policy=policy):
        raise ValidationError(
            {
                "present": _(REVIEW_QUORUM_MISSED)
                % {
                    "num": policy.review_quorum_num,
                    "den": policy.review_quorum_den,
                    "due": vote.members_due,
                    "present": vote.present,
                }
            },
            code="quorum",
        )
    passed = rules.review_passed(members_due=vote.members_due, votes_for=vote.votes_for, policy=policy)
    step = _save_step(
        matter,
        kind=StepKind.REVIEW,
        user=user,
        held_on=held_on,
        passed=passed,
        text=text,
        policy=policy,
        **_vote_fields(vote),
    )
    _advance(matter, StepKind.REVIEW, held_on, passed=passed)
    return step


def _check_resolve_quorum(
    *, meeting_type: str, vote: Vote, households: int | None, households_represented: int | None
) -> None:
    if meeting_type == MeetingType.REPRESENTATIVES:
        if not rules.representatives_quorum_met(members_due=vote.members_due, present=vote.present):
            raise ValidationError(
                {
                    "present": _(REPRESENTATIVES_QUORUM_MISSED)
                    % {"due": vote.members_due, "present": vote.present}
                },
                code="quorum",
            )
        return
    if households is None or households_represented is None:
        raise ValidationError({"households": _(HOUSEHOLDS_REQUIRED)}, code="households")
    if households_represented > households:
        raise ValidationError({"households_represented": _(HOUSEHOLDS_OVER_TOTAL)}, code="households")
    if not rules.assembly_quorum_met(
        villagers_18_plus=vote.members_due,
        present=vote.present,
        households=households,
        households_represented=households_represented,
    ):
        params = {
            "due": vote.members_due,
            "present": vote.present,
            "households": households,
            "represented": households_represented,
        }
        raise ValidationError({"present": _(ASSEMBLY_QUORUM_MISSED) % params}, code="quorum")


@transaction.atomic
def matter_resolve(
    *,
    matter: Matter,
    user,
    held_on: dt.date,
    meeting_type: str,
    vote: Vote,
    households: int | None = None,
    households_represented: int | None = None,
    text: str = "",
) -> Step:
    """决议 by the villagers' assembly (``vote.members_due`` = villagers aged 18+) or the villagers'
    representatives' meeting (``vote.members_due`` = its members)."""
    matter = _locked(matter)
    _check_next(matter, StepKind.RESOLVE, held_on)
    if meeting_type not in MeetingType.values:
        raise ValidationError({"meeting_type": _(MEETING_TYPE_REQUIRED)}, code="meeting_type")
    _check_counts(vote)
    _check_resolve_quorum(
        meeting_type=meeting_type,
        vote=vote,
        households=households,
        households_represented=households_represented,
    )
    if meeting_type == MeetingType.REPRESENTATIVES:
        households = households_represented = None
    passed = rules.resolve_passed(present=vote.present, votes_for=vote.votes_for)
    step = _save_step(
        matter,
        kind=StepKind.RESOLVE,
        user=user,
        held_on=held_on,
        passed=passed,
        text=text,
        meeting_type=meeting_type,
        households=households,
        households_represented=households_represented,
        **_vote_fields(vote),
    )
    _advance(matter, StepKind.RESOLVE, held_on, passed=passed, step=step)
    return step


@transaction.atomic
def matter_disclose_resolution(
    *, matter: Matter, user, held_on: dt.date, place: str, notice_days: int | None = None
) -> Step:
    """决议公开: posted on the village board for at least the policy's notice period."""
    matter = _locked(matter)
    _check_next(matter, StepKind.DISCLOSE_RESOLUTION, held_on)
    policy = policy_for(matter)
    minimum = policy.notice_period_days
    notice_days = minimum if notice_days is None else notice_days
    if notice_days < minimum:
        raise ValidationError({"notice_days": _(NOTICE_TOO_SHORT) % {"days": minimum}}, code="notice")
    step = _save_step(
        matter,
        kind=StepKind.DISCLOSE_RESOLUTION,
        user=user,
        held_on=held_on,
        place=place,
        notice_days=notice_days,
        policy=policy,
    )
    _advance(matter, StepKind.DISCLOSE_RESOLUTION, held_on)
    return step


@transaction.atomic
def matter_disclose_result(*, matter: Matter, user, held_on: dt.date, outcome: str, place: str = "") -> Step:
    """实施结果公开: what was done, posted by the villagers' committee."""
    matter = _locked(matter)
    _check_next(matter, StepKind.DISCLOSE_RESULT, held_on)
    step = _save_step(
        matter, kind=StepKind.DISCLOSE_RESULT, user=user, held_on=held_on, text=outcome, place=place
    )
    _advance(matter, StepKind.DISCLOSE_RESULT, held_on)
    return step


@dataclass(frozen=True)
class Preview:
    """What recording a step would do: the step as it would be saved and the matter's state after."""

    step: Step
    state_after: str

    @property
    def state_after_label(self) -> str:
        return Matter.State(self.state_after).label

    @property
    def rejects(self) -> bool:
        return self.state_after == Matter.State.REJECTED


def step_preview(record) -> Preview:
    """Run ``record()`` (one of the step services) with every rule and roll it back: the confirmation
    page shows exactly what the real recording will do, including a failed vote. Rule errors propagate
    as ``ValidationError`` like the real call's."""

    def trial() -> Preview:
        step = record()
        state = Matter.objects.values_list("state", flat=True).get(pk=step.matter_id)
        return Preview(step=step, state_after=state)

    return dry_run(trial)


# What a correction may change, per field present on the step (meeting type and merging are not
# corrected: they decide which rules apply, so a different meeting is a different record).
COUNT_FIELDS = ("members_due", "present", "votes_for", "votes_against", "votes_abstain")
CORRECTABLE_FIELDS = (
    "held_on",
    "text",
    *COUNT_FIELDS,
    "households",
    "households_represented",
    "place",
    "notice_days",
)


def correctable_fields(step: Step) -> list[str]:
    """The fields a correction of ``step`` offers: the date, the text, and what the step recorded."""
    fields = ["held_on"]
    if step.kind != StepKind.DISCLOSE_RESOLUTION:
        fields.append("text")
    if step.members_due is not None:
        fields.extend(COUNT_FIELDS)
    if step.households is not None:
        fields.extend(("households", "households_represented"))
    if step.kind in (StepKind.DISCLOSE_RESOLUTION, StepKind.DISCLOSE_RESULT):
        fields.append("place")
    if step.kind == StepKind.DISCLOSE_RESOLUTION:
        fields.append("notice_days")
    return fields


def _vote_passes(step: Step, vote: Vote) -> bool:
    """Quorum (raising the step's own quorum error) and outcome of ``vote`` under ``step``'s rules."""
    if step.kind == StepKind.CONSULT:
        if not rules.consult_quorum_met(members_due=vote.members_due, present=vote.present):
            raise ValidationError(
                {"present": _(CONSULT_QUORUM_MISSED) % {"due": vote.members_due, "present": vote.present}},
                code="quorum",
            )
        return rules.consult_passed(present=vote.present, votes_for=vote.votes_for)
    if step.kind == StepKind.REVIEW:
        policy = step.rules  # the thresholds the step was recorded under
        if not rules.review_quorum_met(members_due=vote.members_due, present=vote.present, policy=policy):
            raise ValidationError({"present": _(CORRECTION_QUORUM)}, code="quorum")
        return rules.review_passed(members_due=vote.members_due, votes_for=vote.votes_for, policy=policy)
    _check_resolve_quorum(
        meeting_type=step.meeting_type,
        vote=vote,
        households=step.households,
        households_represented=step.households_represented,
    )
    return rules.resolve_passed(present=vote.present, votes_for=vote.votes_for)


_MATTER_DATES = {
    StepKind.PROPOSE: "proposed_on",
    StepKind.RESOLVE: "resolved_on",
    StepKind.DISCLOSE_RESOLUTION: "resolution_disclosed_on",
    StepKind.DISCLOSE_RESULT: "result_disclosed_on",
}


@transaction.atomic
def step_correct(*, step: Step, user, reason: str, **values) -> StepCorrection:
    """Correct a recorded step (its date, numbers, text) with a required reason, kept with who and
    when. The corrected step must pass every rule a new recording passes (dates, order, counts,
    quorum). A correction never changes a vote's outcome: a vote recorded as passed stays passed and a
    failed one stays failed, so a correction that would flip it is refused (see README)."""
    matter = _locked(step.matter)
    step = Step.objects.select_for_update().get(pk=step.pk)
    reason = require_reason(reason)
    allowed = correctable_fields(step)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not correctable on this step: {sorted(unknown)}")
    new = {name: values.get(name, getattr(step, name)) for name in allowed}
    for name in ("text", "place"):
        if name in new and new[name] is None:
            new[name] = ""
    changes = changed_fields(step, new)
    if not changes:
        raise nothing_to_correct()

    others = matter.steps.exclude(pk=step.pk)
    previous = others.filter(kind__lt=step.kind).order_by("-kind").values_list("held_on", flat=True).first()
    following = others.filter(kind__gt=step.kind).order_by("kind").values_list("held_on", flat=True).first()
    _check_step_date(matter, new["held_on"], previous=previous, following=following)
    if step.kind == StepKind.DISCLOSE_RESULT:
        _check_result_after_notice(matter, new["held_on"])
    if step.kind == StepKind.DISCLOSE_RESOLUTION:
        minimum = step.rules.notice_period_days  # the minimum when the step was recorded
        if new["notice_days"] is None or new["notice_days"] < minimum:
            raise ValidationError({"notice_days": _(NOTICE_TOO_SHORT) % {"days": minimum}}, code="notice")
        result = others.filter(kind=StepKind.DISCLOSE_RESULT).first()
        if result is not None:
            earliest = rules.earliest_result_disclosure(
                disclosed_on=new["held_on"], notice_days=new["notice_days"]
            )
            if result.held_on < earliest:
                params = {
                    "disclosed": new["held_on"].isoformat(),
                    "days": new["notice_days"],
                    "earliest": earliest.isoformat(),
                }
                raise ValidationError(
                    {"held_on": _(RESULT_BEFORE_NOTICE_END) % params}, code="notice_running"
                )
    if step.members_due is not None:
        vote = Vote(**{name: new[name] for name in COUNT_FIELDS})
        _check_counts(vote)
        for name in ("households", "households_represented"):
            if name in new:
                setattr(step, name, new[name])
        passed = _vote_passes(step, vote)
        if passed != step.passed:
            labels = {True: _("通过"), False: _("未通过")}
            raise ValidationError(
                _(CORRECTION_CHANGES_OUTCOME) % {"before": labels[step.passed], "after": labels[passed]},
                code="outcome",
            )
    for name, value in new.items():
        setattr(step, name, value)
    step._change_reason = reason[:100]
    step.full_clean(validate_constraints=False)
    step.save()
    if step.kind in _MATTER_DATES and step.passed and "held_on" in changes:
        setattr(matter, _MATTER_DATES[step.kind], new["held_on"])
        update = [_MATTER_DATES[step.kind]]
        if step.kind == StepKind.RESOLVE:
            matter.disclose_by = disclose_by(step)
            update.append("disclose_by")
        matter.save(update_fields=update)
    return record_correction(StepCorrection(step=step), user=user, reason=reason, changes=changes)


@transaction.atomic
def attachment_add(*, matter: Matter, user, title: str, upload: UploadedFile) -> Attachment:
    """Store a scan or photo after checking its size and its real type (magic bytes)."""
    attachment = Attachment(matter=matter, title=title, uploaded_by=user)
    # Size, real type (magic bytes) and a generated file name: governance.attachments.
    attachments.store(attachment, upload, limit=attachment_max_bytes())
    save_checked(attachment)
    return attachment
