"""The quorum and vote thresholds of DESIGN §6 as integer comparisons (no floats at the boundaries).

"More than half of n" is ``2·x > n``; "at least two thirds of n" is ``3·x ≥ 2·n``. Each function
answers one question about one meeting; the services decide what a failure means (a missed quorum
means the meeting did not validly take place and nothing is saved; a failed vote rejects the matter).
"""

from __future__ import annotations


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
