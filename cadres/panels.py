"""Sections the cadres app adds to shared pages (governance/hooks.py). Bounded queries each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cadres.models import probation_overdue_q
from cadres.selectors import (
    ComplianceStatus,
    compliance_for,
    compliance_totals,
    developments_visible_to,
    posts_visible_to,
    reserves_visible_to,
    roster_for,
    village_compliance,
)
from governance.roles import Role, may_write_for
from villages.selectors import villages_visible_to


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
            "compliance": village_compliance(user, village=village, year=today.year),
            "can_record": may_write_for(user, village.township_id),
        },
    )


def dashboard_panel(*, user, period=None):
    """The county dashboard: 3512 compliance per township for the period's year, fewest compliant
    first, each figure a link to the compliance list behind it (two queries)."""
    from django.urls import reverse
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _

    from governance.charts import level, percent_chart, rank_rows, township_table
    from governance.roles import Role

    year = period.year if period else timezone.localdate().year
    townships, total = compliance_totals(compliance_for(user, year=year), year=year)
    base = reverse("cadres:compliance")
    for row in townships:
        row["not_met"] = row["villages"] - row["met"]
        row["rate"] = round(100 * row["met"] / row["villages"], 1) if row["villages"] else None
        row["level"] = level(row["rate"])
    total["not_met"] = total["villages"] - total["met"]
    many_counties = user.role == Role.ADMIN

    def link(row):
        query = {"year": year, "township": row["township__code"]}
        row["href"] = f"{base}?{urlencode(query)}"
        row["met_href"] = f"{base}?{urlencode({**query, 'status': 'met'})}"
        row["not_met_href"] = f"{base}?{urlencode({**query, 'status': 'not_met'})}"

    townships, shown = rank_rows(
        townships,
        key=lambda r: r["rate"],
        name=lambda r: r["township__code"],
        many_counties=many_counties,
        link=link,
    )
    chart = percent_chart(
        _("各乡镇3512达标村比例（%(year)s年）") % {"year": year},
        shown,
        label=lambda r: r["township__name"],
        value=lambda r: r["rate"],
        href=lambda r: r["not_met_href"],
        css=lambda r: r["level"],
    )
    tables = [
        township_table(
            _("3512达标情况"),
            [
                _("乡镇（街道）"),
                _("村数"),
                _("达标"),
                _("未达标"),
                _("达标率（%）"),
                _("人数不足"),
                _("人数超出"),
                _("背景配比未达标"),
            ],
            townships,
            cells=lambda r: [
                r["township__name"],
                r["villages"],
                r["met"],
                r["not_met"],
                r["rate"],
                r["too_few"],
                r["too_many"],
                r["background_missed"],
            ],
            many_counties=many_counties,
            county=lambda r: r["township__county__name"],
        )
    ]
    villages = []
    if user.role == Role.TOWNSHIP_STAFF:
        # A township user's drill-down on the page itself: their villages, those not meeting it first.
        villages = sorted(
            compliance_for(user, year=year), key=lambda v: (v.status == ComplianceStatus.MET, v.code)
        )
        for village in villages:
            village.status_label = ComplianceStatus.LABELS[village.status]
            village.css = "ok" if village.status == ComplianceStatus.MET else "bad"
        table_rows = [[v.name, str(v.status_label), v.reserve_count, v.background_count] for v in villages]
        headers = [_("村（社区）"), _("状态"), _("后备干部"), _("返乡农民工或致富能手")]
        tables.append({"title": _("各村3512达标情况"), "headers": headers, "rows": table_rows})
    context = {
        "year": year,
        "villages": villages,
        "townships": shown,
        "row_total": len(townships),
        "total": total,
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
    }
    return ("cadres/_dashboard_panel.html", context)


HOME_ENDING_LIMIT = 8


def home_panel(*, user):
    """The home page: the cadre work that needs attention in the user's jurisdiction (4 counts)."""
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    # Only the totals: the villages in scope are enough (compliance_for's per-village quota
    # annotations would cost a query of the counties' quotas for nothing).
    villages = villages_visible_to(user).filter(valid_to__isnull=True)
    _townships, total = compliance_totals(villages, year=today.year)
    context = {
        "order": 40,  # terms ending come after reports and decision steps (governance/hooks.py)
        "year": today.year,
        "ending_soon": posts_visible_to(user)
        .filter(end_date__isnull=True, term_end__gte=today, term_end__lte=today + dt.timedelta(days=90))
        .count(),
        "overdue": developments_visible_to(user).filter(probation_overdue_q(today)).count(),
        "villages": total["villages"],
        "not_met": total["villages"] - total["met"],
    }
    if user.role == Role.TOWNSHIP_STAFF:
        # The township's to-do list names the posts themselves, each a link to its village roster
        # (where the post is ended or the next one recorded): bounded, soonest first.
        context["ending_posts"] = list(
            posts_visible_to(user)
            .filter(end_date__isnull=True, term_end__gte=today, term_end__lte=today + dt.timedelta(days=90))
            .order_by("term_end", "pk")[:HOME_ENDING_LIMIT]
        )
    return ("cadres/_home_panel.html", context)


def branch_panel(*, branch, user):
    """The branch page ([7/10]): members on the roll today with status and this year's duty post,
    the village's branch and supervision committees, recent departures, and the member actions for
    the owner township's staff. Bounded queries whatever the branch's size."""
    from cadres.membership import branch_rule_issues, with_person_visible, without_office_q
    from cadres.membership_views import may_edit_members
    from cadres.models import Committee, Membership, active_on_q, membership_on_q
    from cadres.models import Post as PostModel
    from cadres.selectors import with_duty_this_year

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
