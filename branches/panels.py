"""Sections the branch register adds to shared pages (governance/hooks.py). Bounded queries."""

from __future__ import annotations

from django.utils import timezone

from branches import rules
from branches.columns import season_label
from branches.selectors import branches_of_village
from cadres.selectors import annotate_branch_rules


def village_panel(*, village, user):
    """The village page: every branch the village belongs to (its own, functional branches based
    in it, joint branches linking it), with members, season and rule flags (one query)."""
    today = timezone.localdate()
    branches = list(
        annotate_branch_rules(branches_of_village(user, village), on=today).order_by("kind", "name")
    )
    for branch in branches:
        branch.season_text = season_label(branch)
        branch.active_now = rules.active_on(branch, today)
    return "branches/_village_panel.html", {"village": village, "branches": branches, "today": today}
