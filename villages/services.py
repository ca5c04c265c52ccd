"""Writes to the hierarchy. Admin, imports and seed_demo all go through these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from governance.integrity import save_checked
from villages.models import PartyBranch, Township, Village


@transaction.atomic
def village_create(
    *,
    township: Township,
    code: str,
    name: str,
    kind: str = Village.Kind.VILLAGE,
    valid_from: dt.date,
    name_bo: str = "",
) -> Village:
    """Create a village together with its village party branch (every village has one)."""
    village = Village(
        township=township, code=code, name=name, kind=kind, valid_from=valid_from, name_bo=name_bo
    )
    save_checked(village)
    branch_ensure_for_village(village=village)
    return village


def branch_name_for(village: Village) -> str:
    suffix = "社区党支部" if village.kind == Village.Kind.COMMUNITY else "村党支部"
    return f"{village.name.removesuffix('社区').removesuffix('村')}{suffix}"


@transaction.atomic
def branch_ensure_for_village(*, village: Village) -> PartyBranch:
    """The village's own branch, created if missing (admin-created villages get one too)."""
    branch = PartyBranch.objects.filter(village=village, kind=PartyBranch.Kind.VILLAGE).first()
    if branch is None:
        branch = PartyBranch(
            village=village,
            township=village.township,
            kind=PartyBranch.Kind.VILLAGE,
            name=branch_name_for(village),
            start_date=village.valid_from,
        )
        save_checked(branch)
    return branch
