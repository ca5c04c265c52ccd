"""Reads of the branch register, scoped to the user's jurisdiction (DESIGN §1).

A branch is read by the jurisdiction of the township that owns it and by that of every township
whose village it links (a joint branch across two townships is visible to both); only the owner
township's staff write it (``may_edit``). Anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from branches.models import BranchEnterprise, BranchVillage, Enterprise
from governance.roles import can_edit_records, sees_everything
from governance.scoping import jurisdiction_q, scope
from villages.models import PartyBranch, Township, Village
from villages.selectors import may_edit_branch


def branch_visibility_q(user) -> Q:
    """The branches ``user`` reads: owned in the jurisdiction, or linking a village in it."""
    if user.is_authenticated and user.is_active and sees_everything(user):
        return Q()
    linked = BranchVillage.objects.filter(branch=OuterRef("pk")).filter(
        jurisdiction_q(user, township_path="village__township")
    )
    return jurisdiction_q(user, township_path="township") | Q(Exists(linked))


def branches_visible_to(user) -> QuerySet[PartyBranch]:
    """Branches ``user`` may read, with owner township, county and base village loaded."""
    return PartyBranch.objects.filter(branch_visibility_q(user)).select_related("township__county", "village")


def with_links(queryset: QuerySet[PartyBranch]) -> QuerySet[PartyBranch]:
    """``queryset`` with its linked villages and enterprises loaded (two queries per page)."""
    return queryset.prefetch_related(
        Prefetch(
            "village_links",
            queryset=BranchVillage.objects.select_related("village__township").order_by("village__code"),
        ),
        Prefetch(
            "enterprise_links",
            queryset=BranchEnterprise.objects.select_related("enterprise").order_by("enterprise__name"),
        ),
    )


# Only the owner township's staff write a branch (others who read it get 403): one rule, in villages.
may_edit = may_edit_branch


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Enterprises registered by townships in the user's jurisdiction, or linked to a branch the
    user reads."""
    if user.is_authenticated and user.is_active and sees_everything(user):
        return Enterprise.objects.select_related("township")
    linked = BranchEnterprise.objects.filter(enterprise=OuterRef("pk")).filter(
        branch__in=PartyBranch.objects.filter(branch_visibility_q(user)).values("pk")
    )
    return Enterprise.objects.filter(
        jurisdiction_q(user, township_path="township") | Q(Exists(linked))
    ).select_related("township")


def linkable_villages(user) -> QuerySet[Village]:
    """Villages a township's joint branch may link: the current villages of the user's county (a
    village-village branch crosses township lines)."""
    if not can_edit_records(user) or user.township_id is None:
        return Village.objects.none()
    return (
        Village.objects.filter(township__county_id=user.township.county_id, valid_to__isnull=True)
        .select_related("township")
        .order_by("township__code", "code")
    )


def branches_of_village(user, village: Village) -> QuerySet[PartyBranch]:
    """Every branch ``village`` belongs to that ``user`` reads: its own branch, the functional
    branches based in it and the joint branches linking it."""
    return branches_visible_to(user).filter(
        Q(village=village) | Q(Exists(BranchVillage.objects.filter(branch=OuterRef("pk"), village=village)))
    )


def current_q(day: dt.date, prefix: str = "") -> Q:
    """Branches not ended on ``day`` (ended ones stay on record, shown as ended)."""
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})


def summary_by_township(user, *, on: dt.date, county=None) -> QuerySet[Township]:
    """The current townships in scope (of ``county`` when given) with the number of branches they
    own (not ended on ``on``) of each kind (``kind_<value>``) and in total, counted in SQL in one
    query."""
    current = current_q(on, "branches__")
    counts = {
        f"kind_{value}": Count("branches", filter=current & Q(branches__kind=value))
        for value in PartyBranch.Kind.values
    }
    return (
        scope(Township.objects.all(), user, township_path="")
        .filter(valid_to__isnull=True)
        .filter(**({"county": county} if county is not None else {}))
        .annotate(**counts, total=Count("branches", filter=current))
        .order_by("code")
    )


def flagged_by_township(user, *, on: dt.date, county=None) -> dict[int, int]:
    """Owner township pk → how many of its current branches the user reads (owned in ``county``
    when given) break the committee rules (DESIGN §3/§5, computed by cadres from the member
    records), in one query."""
    from cadres.selectors import annotate_branch_rules

    current = branches_visible_to(user).filter(current_q(on))
    if county is not None:
        current = current.filter(township__county=county)
    # The rule is counted in the aggregate, not tested in the WHERE: there PostgreSQL judged every
    # branch of the province before keeping the user's (a county's official waited for 26,000).
    judged = annotate_branch_rules(current, on=on).order_by().values("township_id")
    counts = judged.annotate(n=Count("pk", filter=Q(committee_ok=False))).values_list("township_id", "n")
    return {township_id: n for township_id, n in counts if n}
