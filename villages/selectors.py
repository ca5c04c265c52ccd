"""Reads of the hierarchy, always scoped to the user's jurisdiction."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet

from governance.roles import sees_everything
from governance.scoping import scope
from governance.subqueries import count_of
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
    """Current counties in scope with their current township and village counts, counted in SQL
    (a subquery per county on the township and village indexes: joining a province's 26,000
    villages to count them distinct cost more than the rest of an admin's home page)."""
    townships = Township.objects.filter(county=OuterRef("pk"), valid_to__isnull=True)
    villages = Village.objects.filter(township__county=OuterRef("pk"), valid_to__isnull=True)
    return (
        counties_visible_to(user)
        .filter(valid_to__isnull=True)
        .annotate(
            township_count=count_of(townships),
            village_count=count_of(villages),
        )
        .order_by("code")
    )


def overview_units(user) -> tuple[str, QuerySet]:
    """The rows of a user's overview table: counties for admins, who see a whole province of them,
    townships for everyone else (a county has about twenty)."""
    if sees_everything(user):
        return "county", counties_with_village_counts(user)
    return "township", townships_with_village_counts(user)


def roll_up_by_township(per_village: QuerySet, *, figures: list[str]) -> list[dict]:
    """Township rows of a per-village grouped queryset (``.values("village_id").annotate(...)``,
    already scoped): each of ``figures`` summed per township, with the township's and county's code
    and name, in township code order. One query: the records are grouped by village first (a pass
    over one table), and only those few rows are joined to the hierarchy (bench/RESULTS.md)."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    if not all(name.isidentifier() for name in figures):
        raise ValueError(f"figures must be column names: {figures!r}")
    try:
        inner, params = per_village.query.sql_with_params()
    except EmptyResultSet:
        return []
    sums = ", ".join(f"SUM(g.{name})::bigint AS {name}" for name in figures)
    picked = ", ".join(f"s.{name}" for name in figures)
    # Grouped by the township's key first: sorting 26,000 rows by Chinese names costs more than
    # everything else; only the 3,000 township rows are then named and ordered.
    sql = (
        "SELECT t.code AS township_code, t.name AS township_name, c.code AS county_code, "
        f"c.name AS county_name, {picked} FROM ("
        f"SELECT v.township_id, {sums} FROM ({inner}) g "
        "JOIN villages_village v ON v.id = g.village_id GROUP BY v.township_id) s "
        "JOIN villages_township t ON t.id = s.township_id "
        "JOIN villages_county c ON c.id = t.county_id ORDER BY t.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
