"""Sections of shared pages (governance/hooks.py): a village's matters, the county roll-up."""

from __future__ import annotations

from decisions.selectors import matter_counts, matters_visible_to

VILLAGE_PANEL_LIMIT = 20


def village_panel(*, village, user):
    """The village's latest matters (bounded) with its counts: two queries."""
    matters = matters_visible_to(user).filter(village=village)
    return (
        "decisions/_village_panel.html",
        {
            "village": village,
            "matters": list(matters.order_by("-created_at", "-pk")[:VILLAGE_PANEL_LIMIT]),
            "counts": matter_counts(matters),
        },
    )


def _counts_panel(user):
    counts = matter_counts(matters_visible_to(user))
    return ("decisions/_counts_panel.html", {"counts": counts})


def dashboard_panel(*, user):
    return _counts_panel(user)


def home_panel(*, user):
    """Overdue disclosures in the user's jurisdiction, the township's to-do list."""
    return _counts_panel(user)
