"""Sections the cadres app adds to shared pages (governance/hooks.py). Bounded queries each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cadres.models import ReserveQuota, probation_overdue_q
from cadres.selectors import (
    compliance_for,
    compliance_totals,
    developments_visible_to,
    posts_visible_to,
    reserves_visible_to,
    roster_for,
    village_compliance,
)


def village_panel(*, village, user):
    """The village page: roster summary (flags, terms ending soon) and this year's reserve bench."""
    today = timezone.localdate()
    return (
        "cadres/_village_panel.html",
        {
            "village": village,
            "today": today,
            "roster": roster_for(village=village, on=today),
            "reserves": list(reserves_visible_to(user).filter(village=village, plan_year=today.year)),
            "compliance": village_compliance(
                user, village=village, year=today.year, quota=ReserveQuota.current()
            ),
        },
    )


def dashboard_panel(*, user):
    """The county dashboard: this year's 3512 compliance per township and in total."""
    year = timezone.localdate().year
    quota = ReserveQuota.current()
    townships, total = compliance_totals(compliance_for(user, year=year, quota=quota))
    return ("cadres/_dashboard_panel.html", {"year": year, "townships": townships, "total": total})


def home_panel(*, user):
    """The home page: the cadre work that needs attention in the user's jurisdiction (4 counts)."""
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    quota = ReserveQuota.current()
    _townships, total = compliance_totals(compliance_for(user, year=today.year, quota=quota))
    context = {
        "year": today.year,
        "ending_soon": posts_visible_to(user)
        .filter(end_date__isnull=True, term_end__gte=today, term_end__lte=today + dt.timedelta(days=90))
        .count(),
        "overdue": developments_visible_to(user).filter(probation_overdue_q(today)).count(),
        "villages": total["villages"],
        "not_met": total["villages"] - total["met"],
    }
    return ("cadres/_home_panel.html", context)


def branch_panel(*, branch, user):
    """The branch page ([7/10]): members on the roll today with status and this year's duty post,
    the village's branch and supervision committees, recent departures, and the member actions for
    the owner township's staff. Bounded queries whatever the branch's size."""
    from cadres.membership import branch_rule_issues, with_person_visible, without_office_q
    from cadres.membership_views import may_edit_members, with_duty_this_year
    from cadres.models import Committee, Membership, active_on_q, membership_on_q
    from cadres.models import Post as PostModel

    today = timezone.localdate()
    members = list(
        with_duty_this_year(
            with_person_visible(
                Membership.objects.filter(membership_on_q(today), branch=branch).select_related("person"),
                user,
            ),
            today.year,
        )
        .annotate(without_office=without_office_q(today))
        .order_by("-full_since", "person__name", "pk")
    )
    for member in members:
        member.is_full = member.is_full_on(today)
    committees = []
    if branch.village_id and branch.kind == "village":
        posts = list(
            PostModel.objects.filter(
                active_on_q(today),
                village_id=branch.village_id,
                committee__in=[Committee.BRANCH, Committee.SUPERVISION],
            )
            .select_related("person")
            .order_by("committee", "start_date", "pk")
        )
        for committee in (Committee.BRANCH, Committee.SUPERVISION):
            committees.append((committee.label, [p for p in posts if p.committee == committee]))
    departed = list(
        Membership.objects.filter(branch=branch, left_on__isnull=False, left_on__lte=today)
        .select_related("to_branch")
        .select_related("person")
        .order_by("-left_on", "pk")[:10]
    )
    full = sum(1 for member in members if member.is_full)
    # The branches page shows the rule issues itself when it annotated the branch.
    issues = [] if hasattr(branch, "rules_ok") else branch_rule_issues(branch, on=today)
    context = {
        "branch": branch,
        "today": today,
        "members": members,
        "full": full,
        "probationary": len(members) - full,
        "committees": committees,
        "departed": departed,
        "issues": issues,
        "can_edit": may_edit_members(user, branch) and branch.end_date is None,
    }
    return ("cadres/members/_branch_panel.html", context)
