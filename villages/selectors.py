"""Reads of the hierarchy, always scoped to the user's jurisdiction."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from governance.roles import sees_everything
from governance.scoping import scope
from villages.models import County, PartyBranch, Township, Village


def counties_visible_to(user) -> QuerySet[County]:
    return County.objects.filter(pk__in=townships_visible_to(user).values("county_id"))


def townships_visible_to(user) -> QuerySet[Township]:
    """Townships the user may read, with the county loaded for labels."""
    return scope(Township.objects.select_related("county"), user, township_path="")


def villages_visible_to(user) -> QuerySet[Village]:
    """Villages the user may read, with township and county loaded (list and detail pages)."""
    return scope(Village.objects.select_related("township__county"), user, township_path="township")


def may_edit_branch(user, branch: PartyBranch) -> bool:
    """A branch and its members are written by the staff of the township that owns it (joint
    branches included: the townships whose villages it links only read it)."""
    from governance.roles import may_write_for

    return may_write_for(user, branch.township_id)


def branches_visible_to(user) -> QuerySet[PartyBranch]:
    return scope(
        PartyBranch.objects.select_related("township__county", "village"), user, township_path="township"
    )


def townships_with_village_counts(user) -> QuerySet[Township]:
    """Current townships in scope with their number of current villages, counted in SQL."""
    return (
        townships_visible_to(user)
        .filter(valid_to__isnull=True)
        .annotate(village_count=Count("villages", filter=Q(villages__valid_to__isnull=True)))
        .order_by("code")
    )


def counties_with_village_counts(user) -> QuerySet[County]:
    """Current counties in scope with their current township and village counts, counted in SQL."""
    return (
        counties_visible_to(user)
        .filter(valid_to__isnull=True)
        .annotate(
            township_count=Count("townships", filter=Q(townships__valid_to__isnull=True), distinct=True),
            village_count=Count(
                "townships__villages", filter=Q(townships__villages__valid_to__isnull=True), distinct=True
            ),
        )
        .order_by("code")
    )


def overview_units(user) -> tuple[str, QuerySet]:
    """The rows of a user's overview table: counties for admins, who see a whole province of them,
    townships for everyone else (a county has about twenty)."""
    if sees_everything(user):
        return "county", counties_with_village_counts(user)
    return "township", townships_with_village_counts(user)
