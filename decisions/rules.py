"""The quorum and vote thresholds of DESIGN §6 as integer comparisons (no floats at the boundaries).

"More than half of n" is ``2·x > n``; "at least two thirds of n" is ``3·x ≥ 2·n``. Each function
answers one question about one meeting; the services decide what a failure means (a missed quorum
means the meeting did not validly take place and nothing is saved; a failed vote rejects the matter).
"""

from __future__ import annotations

import datetime as dt


def at_least_fraction(part: int, whole: int, num: int, den: int) -> bool:
    """part ≥ whole × num / den, exactly."""
    return part * den >= whole * num


def more_than_fraction(part: int, whole: int, num: int, den: int) -> bool:
    """part > whole × num / den, exactly."""
    return part * den > whole * num


def more_than_half(part: int, whole: int) -> bool:
    return more_than_fraction(part, whole, 1, 2)


# 商议: the joint two-committee meeting needs a majority of its members and passes by a majority of
# those present.
def consult_quorum_met(*, members_due: int, present: int) -> bool:
    return more_than_half(present, members_due)


def consult_passed(*, present: int, votes_for: int) -> bool:
    return more_than_half(votes_for, present)


# 审议: party members' assembly, local rule (DecisionPolicy): 2/3 attendance, approval by more than
# half of those due (not of those present).
def review_quorum_met(*, members_due: int, present: int, policy) -> bool:
    return at_least_fraction(present, members_due, policy.review_quorum_num, policy.review_quorum_den)


def review_passed(*, members_due: int, votes_for: int, policy) -> bool:
    return more_than_fraction(votes_for, members_due, policy.review_approval_num, policy.review_approval_den)


# 决议: villagers' assembly (more than half of villagers aged 18+, or representatives of 2/3 of
# households) or villagers' representatives' meeting (2/3 of members); decided by more than half of
# those present in both cases.
def assembly_quorum_met(
    *, villagers_18_plus: int, present: int, households: int, households_represented: int
) -> bool:
    return more_than_half(present, villagers_18_plus) or (
        households > 0 and at_least_fraction(households_represented, households, 2, 3)
    )


def representatives_quorum_met(*, members_due: int, present: int) -> bool:
    return at_least_fraction(present, members_due, 2, 3)


def resolve_passed(*, present: int, votes_for: int) -> bool:
    return more_than_half(votes_for, present)


# Plausible dates (issue [6/10]). Every date rule of 四议两公开 is here; the services apply them and the
# forms show them next to the field (``date_hints``).
#
# - A planned completion may lie in the past only by PLANNED_COMPLETION_MARGIN_DAYS before the day the
#   matter is entered (a clerk catching up on last year's matters enters them in arrears), and never
#   before the village existed. 1900-01-01 on a matter entered in 2026 is refused.
# - Every step's date: not before the village existed (``village.valid_from``), not after today, not
#   before the previous step (the legal order) and, on a correction, not after the following step.
# - 实施结果公开 not before the resolution's notice period has ended: the notice posted on day D for
#   n days runs D … D+n−1, so the result may be posted from D+n.
PLANNED_COMPLETION_MARGIN_DAYS = 366


def earliest_planned_completion(*, entered_on, village_from):
    """The earliest planned completion date a matter entered on ``entered_on`` accepts."""
    return max(entered_on - dt.timedelta(days=PLANNED_COMPLETION_MARGIN_DAYS), village_from)


def earliest_result_disclosure(*, disclosed_on, notice_days):
    """The first day after the resolution's notice period (posted ``disclosed_on`` for ``notice_days``)."""
    return disclosed_on + dt.timedelta(days=notice_days)


def step_date_problem(*, held_on, today, village_from, previous=None, following=None):
    """Which date rule ``held_on`` breaks, as one of "future", "before_village", "backwards",
    "after_next", or None when it is plausible."""
    if held_on > today:
        return "future"
    if held_on < village_from:
        return "before_village"
    if previous is not None and held_on < previous:
        return "backwards"
    if following is not None and held_on > following:
        return "after_next"
    return None
