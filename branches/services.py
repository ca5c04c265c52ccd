"""Writes of the branch register. Only the owner township's staff write a branch (DESIGN §1, §3);
every function is keyword-only, atomic, validated and attributed (simple_history's request user).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from branches import rules
from branches.creditcodes import normalise
from branches.models import BranchEnterprise, BranchVillage, Enterprise
from governance.integrity import save_checked
from governance.permissions import EDIT_DENIED
from governance.roles import can_edit_records
from governance.versioning import lock_for_update
from villages.models import JOINT_KINDS, PartyBranch, Township, Village

NOT_OWNER = _("只有该党组织所属乡镇的工作人员可以修改它。")
VILLAGE_KIND_HERE = _("村党支部随村（社区）建立，不在这里新建。")
BASE_VILLAGE_ELSEWHERE = _("所在村须属于本乡镇。")
LINKS_ONLY_FOR_JOINT = _("只有联建党支部才能联建村或企业。")
VILLAGE_VILLAGE_NEEDS_TWO = _("村村联建党支部至少联建两个村（社区）。")
VILLAGE_ENTERPRISE_NEEDS_BOTH = _("村企联建党支部至少联建一个村（社区）和一个企业。")
ENTERPRISES_ONLY_VILLAGE_ENTERPRISE = _("只有村企联建党支部才能联建企业。")
NONE_OF_OWN_VILLAGES = _("联建的村中至少有一个属于本乡镇。")
LINKED_VILLAGE_ELSEWHERE = _("只能联建本县（市）现行的村（社区）。")
ALREADY_ENDED = _("该党组织已撤销。")
END_BEFORE_START = rules.PERIOD_ENDS_BEFORE_START


def _require_owner(user, township: Township) -> None:
    if not can_edit_records(user):
        raise PermissionDenied(EDIT_DENIED)
    if user.township_id != township.pk:
        raise PermissionDenied(NOT_OWNER)


def _check_links(
    *, kind: str, township: Township, villages: list[Village], enterprises: list[Enterprise]
) -> None:
    errors: dict[str, list] = {}
    if kind not in JOINT_KINDS:
        if villages:
            errors["villages"] = [LINKS_ONLY_FOR_JOINT]
        if enterprises:
            errors["enterprises"] = [LINKS_ONLY_FOR_JOINT]
    else:
        if any(v.township.county_id != township.county_id or v.valid_to is not None for v in villages):
            errors.setdefault("villages", []).append(LINKED_VILLAGE_ELSEWHERE)
        elif villages and not any(v.township_id == township.pk for v in villages):
            errors.setdefault("villages", []).append(NONE_OF_OWN_VILLAGES)
        if kind == PartyBranch.Kind.JOINT_VILLAGE_VILLAGE:
            if len(villages) < 2:
                errors.setdefault("villages", []).append(VILLAGE_VILLAGE_NEEDS_TWO)
            if enterprises:
                errors["enterprises"] = [ENTERPRISES_ONLY_VILLAGE_ENTERPRISE]
        elif not villages or not enterprises:
            errors.setdefault("villages" if not villages else "enterprises", []).append(
                VILLAGE_ENTERPRISE_NEEDS_BOTH
            )
    if errors:
        raise ValidationError(errors)


def _check_base_village(*, village: Village | None, township: Township) -> None:
    if village is not None and village.township_id != township.pk:
        raise ValidationError({"village": [BASE_VILLAGE_ELSEWHERE]})


def _set_links(*, branch: PartyBranch, villages: list[Village], enterprises: list[Enterprise]) -> None:
    """Make the branch's links exactly ``villages`` and ``enterprises``; removed links leave a
    history row (deleted one by one, so simple_history records each)."""
    wanted_villages = {v.pk for v in villages}
    for link in branch.village_links.exclude(village_id__in=wanted_villages):
        link.delete()
    have = set(branch.village_links.values_list("village_id", flat=True))
    for village in villages:
        if village.pk not in have:
            save_checked(BranchVillage(branch=branch, village=village))
    wanted_enterprises = {e.pk for e in enterprises}
    for link in branch.enterprise_links.exclude(enterprise_id__in=wanted_enterprises):
        link.delete()
    have = set(branch.enterprise_links.values_list("enterprise_id", flat=True))
    for enterprise in enterprises:
        if enterprise.pk not in have:
            save_checked(BranchEnterprise(branch=branch, enterprise=enterprise))


def _validate(branch: PartyBranch, *, villages: list[Village], enterprises: list[Enterprise]) -> None:
    errors: dict[str, list] = {}
    for check in (
        lambda: rules.check_branch(branch),
        lambda: _check_base_village(village=branch.village, township=branch.township),
        lambda: _check_links(
            kind=branch.kind, township=branch.township, villages=villages, enterprises=enterprises
        ),
    ):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _with_new(user, enterprises: list[Enterprise], new: tuple[str, str] | None) -> list[Enterprise]:
    """``enterprises`` plus the one registered from the branch form, its errors on the form's
    ``new_enterprise_*`` fields."""
    if new is None:
        return enterprises
    try:
        created = enterprise_create(user=user, name=new[0], credit_code=new[1])
    except ValidationError as exc:
        fields = {"name": "new_enterprise_name", "credit_code": "new_enterprise_code"}
        found = exc.message_dict if hasattr(exc, "error_dict") else {"credit_code": exc.messages}
        raise ValidationError(
            {fields.get(field, "new_enterprise_code"): messages for field, messages in found.items()}
        ) from exc
    return [*enterprises, created]


@transaction.atomic
def branch_create(
    *,
    user,
    township: Township,
    name: str,
    kind: str,
    village: Village | None = None,
    start_date: dt.date | None = None,
    season_start_month: int | None = None,
    season_end_month: int | None = None,
    season_crosses_year: bool = False,
    villages: Iterable[Village] = (),
    enterprises: Iterable[Enterprise] = (),
    new_enterprise: tuple[str, str] | None = None,
) -> PartyBranch:
    """Record a functional or joint branch owned by ``township`` (the user's own).
    ``new_enterprise`` = (name, credit code) registers an enterprise and links it, in the same
    transaction: if the branch is refused, the enterprise is not kept either."""
    _require_owner(user, township)
    if kind == PartyBranch.Kind.VILLAGE:
        raise ValidationError({"kind": [VILLAGE_KIND_HERE]})
    villages, enterprises = list(villages), _with_new(user, list(enterprises), new_enterprise)
    branch = PartyBranch(
        township=township,
        name=name,
        kind=kind,
        village=village,
        start_date=start_date,
        season_start_month=season_start_month,
        season_end_month=season_end_month,
        season_crosses_year=season_crosses_year,
    )
    _validate(branch, villages=villages, enterprises=enterprises)
    save_checked(branch)
    _set_links(branch=branch, villages=villages, enterprises=enterprises)
    return branch


@transaction.atomic
def branch_update(
    *,
    user,
    branch: PartyBranch,
    version: int | None,
    name: str,
    village: Village | None = None,
    start_date: dt.date | None = None,
    season_start_month: int | None = None,
    season_end_month: int | None = None,
    season_crosses_year: bool = False,
    villages: Iterable[Village] = (),
    enterprises: Iterable[Enterprise] = (),
    new_enterprise: tuple[str, str] | None = None,
) -> PartyBranch:
    """Change a branch's name, base village, start date, season and links (its kind and owner
    township stay: a different kind is a different branch). A village branch keeps its village."""
    _require_owner(user, branch.township)
    lock_for_update(branch, version=version)
    villages, enterprises = list(villages), _with_new(user, list(enterprises), new_enterprise)
    branch.name = name
    if branch.kind != PartyBranch.Kind.VILLAGE:
        branch.village = village
    branch.start_date = start_date
    branch.season_start_month = season_start_month
    branch.season_end_month = season_end_month
    branch.season_crosses_year = season_crosses_year
    _validate(branch, villages=villages, enterprises=enterprises)
    save_checked(branch)
    _set_links(branch=branch, villages=villages, enterprises=enterprises)
    return branch


@transaction.atomic
def branch_end(*, user, branch: PartyBranch, end_date: dt.date, version: int | None = None) -> PartyBranch:
    """End (撤销) a branch on ``end_date``: it stays on record, marked ended, with its history."""
    _require_owner(user, branch.township)
    lock_for_update(branch, version=version)
    if branch.end_date is not None:
        raise ValidationError(ALREADY_ENDED)
    if branch.start_date and end_date < branch.start_date:
        raise ValidationError({"end_date": [END_BEFORE_START]})
    branch.end_date = end_date
    save_checked(branch)
    return branch


@transaction.atomic
def enterprise_create(*, user, name: str, credit_code: str) -> Enterprise:
    """Register an enterprise for the user's township (its credit code checked, GB 32100-2015)."""
    if not can_edit_records(user) or user.township_id is None:
        raise PermissionDenied(EDIT_DENIED)
    enterprise = Enterprise(name=name.strip(), credit_code=normalise(credit_code), township=user.township)
    return save_checked(enterprise)
