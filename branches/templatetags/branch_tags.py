"""Filters for branch pages: the same wording as the exports (branches/columns.py)."""

from django import template

from branches import columns

register = template.Library()


@register.filter
def season(branch) -> str:
    return columns.season_label(branch)


@register.filter
def branch_villages(branch) -> str:
    return columns.village_names(branch)


@register.filter
def branch_enterprises(branch) -> str:
    return columns.enterprise_names(branch)


@register.filter
def active_now(branch) -> bool:
    """Active today: within its dates and in its season (branches/rules.py)."""
    from django.utils import timezone

    from branches.rules import active_on

    return active_on(branch, timezone.localdate())
