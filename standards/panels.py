"""Sections of shared pages (governance/hooks.py): the village page and the branch page."""

from __future__ import annotations

from governance.roles import can_edit_records
from standards import selectors
from standards.models import Review


def village_panel(*, village, user):
    """The village's compliance per area and in total (two queries)."""
    return (
        "standards/_village_panel.html",
        {"village": village, "row": selectors.village_compliance(village)},
    )


def branch_panel(*, branch, user):
    """The branch's yearly reviews (one query); township staff of the owner township may add one."""
    reviews = list(
        selectors.reviews_visible_to(user).filter(branch=branch).order_by("-year")
        if user.is_authenticated
        else Review.objects.none()
    )
    may_add = bool(getattr(user, "township_id", None) == branch.township_id and can_edit_records(user))
    return ("standards/_branch_panel.html", {"branch": branch, "reviews": reviews, "may_add": may_add})
