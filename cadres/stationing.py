"""驻村第一书记 ([9/10]): the rules (services) and reads (selectors) of stationings.

A first secretary is sent by a county or prefecture unit (派出单位) to a village from outside it.
The rule "from outside the village" lives in ``check_outsider`` (the one place): on the start date
the person holds no post in the village (``cadres.Post``) and is no member of a party branch based
in it (``cadres.Membership``), and lives in the village's county. A village has at most one
stationing at a time (the database keeps one open stationing per village; the services keep the
periods apart), and a person is stationed in one village at a time.

"Current on day d": started on or before d and not ended before d (``models.stationed_on_q``).
Other apps (training's coverage) read ``current_first_secretaries(villages, on)``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cadres.models import (
    Membership,
    Person,
    Post,
    Stationing,
    StationingCorrection,
    active_on_q,
    membership_on_q,
    stationed_on_q,
)
from governance.integrity import save_checked
from governance.roles import Role, may_write_for, sees_everything
from governance.scoping import scope

# How far ahead a stationing may be recorded: a unit's dispatch letter comes a few weeks early.
DAYS_AHEAD = 30

NOT_OWN_TOWNSHIP = gettext_lazy("只有该村所属乡镇的工作人员可以登记或修改驻村第一书记。")
HOLDS_POST = gettext_lazy(
    "驻村第一书记须从村外选派：%(name)s在%(date)s担任%(village)s%(committee)s%(post)s，不能作为本村第一书记。"
)
IS_MEMBER = gettext_lazy(
    "驻村第一书记须从村外选派：%(name)s在%(date)s是%(branch)s党员，不能作为本村第一书记。"
)
OTHER_COUNTY = gettext_lazy("%(name)s不是本县人员，不能选派到%(village)s。")
SENDING_UNIT_REQUIRED = gettext_lazy("请填写派出单位。")
START_TOO_LATE = gettext_lazy("驻村日期不能晚于%(latest)s（今天起%(days)s天内）。")
END_TOO_LATE = gettext_lazy("离任日期不能晚于%(latest)s（今天起%(days)s天内）。")
END_BEFORE_START = gettext_lazy("离任日期不能早于驻村日期（%(start)s）。")
ALREADY_ENDED = gettext_lazy("该驻村记录已于%(date)s离任。")
VILLAGE_TAKEN = gettext_lazy(
    "%(village)s已有驻村第一书记%(name)s（%(start)s起%(until)s），时间不能重叠；请先办理离任。"
)
PERSON_ELSEWHERE = gettext_lazy("%(name)s已在%(village)s驻村（%(start)s起%(until)s），同一时间只能驻一个村。")
UNTIL_NOW = gettext_lazy("，至今")
UNTIL = gettext_lazy("至%(date)s")
CORRECTION_REQUIRED = gettext_lazy("已记录的日期不能清空。")


def _error(message, field: str | None = None, **params) -> ValidationError:
    text = str(message) % params if params else str(message)
    return ValidationError({field: text}) if field else ValidationError(text)


def _until(stationing: Stationing) -> str:
    if stationing.end_date is None:
        return str(UNTIL_NOW)
    return "，" + str(UNTIL) % {"date": stationing.end_date.isoformat()}


# ---------------------------------------------------------------- selectors


def stationings_visible_to(user) -> QuerySet[Stationing]:
    """Stationings in villages of the user's jurisdiction, person and village loaded."""
    return scope(
        Stationing.objects.select_related("person__home_village__township", "village__township"),
        user,
        township_path="village__township",
    )


def current_first_secretaries(villages, on: dt.date) -> QuerySet[Stationing]:
    """The stationings current on ``on`` in ``villages`` (a queryset or ids): at most one per village.
    Training's coverage counts ``.values("person_id").distinct()``."""
    return Stationing.objects.filter(stationed_on_q(on), village__in=villages).select_related("person")


def current_stationing(village, on: dt.date) -> Stationing | None:
    """The village's first secretary on ``on`` (one query), or None."""
    return (
        Stationing.objects.filter(stationed_on_q(on), village=village)
        .select_related("person")
        .order_by("-start_date")
        .first()
    )


def villages_with_first_secretary(villages: QuerySet, on: dt.date) -> QuerySet:
    """``villages`` annotated with their first secretary on ``on`` (``fs_*``, None without one) and
    ``has_first_secretary``: one query for a page or an export, however many villages."""
    current = Stationing.objects.filter(stationed_on_q(on), village=OuterRef("pk")).order_by("-start_date")
    return villages.annotate(
        has_first_secretary=Exists(current),
        fs_public_id=Subquery(current.values("public_id")[:1]),
        fs_name=Subquery(current.values("person__name")[:1]),
        fs_unit=Subquery(current.values("sending_unit")[:1]),
        fs_since=Subquery(current.values("start_date")[:1]),
    )


def first_secretary_counts(villages: QuerySet, on: dt.date) -> dict[str, int]:
    """{"with": N, "without": M} over ``villages`` (one query)."""
    current = Stationing.objects.filter(stationed_on_q(on), village=OuterRef("pk"))
    totals = villages.aggregate(total=Count("pk"), with_fs=Count("pk", filter=Exists(current)))
    return {"with": totals["with_fs"], "without": totals["total"] - totals["with_fs"]}


def candidates_for(user) -> QuerySet[Person]:
    """People a first secretary may be chosen from: the whole county of the user (a first secretary
    often lives in another township), an admin's every county."""
    people = Person.objects.select_related("home_village__township")
    if sees_everything(user):
        return people
    county = _county_id(user)
    if county is None:
        return people.none()
    return people.filter(home_village__township__county_id=county)


def _county_id(user) -> int | None:
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.TOWNSHIP_STAFF and user.township_id:
        return user.township.county_id
    if user.role == Role.COUNTY_OFFICIAL:
        return user.county_id
    return None


# ---------------------------------------------------------------- rules


def check_outsider(*, person: Person, village, on: dt.date) -> None:
    """The one rule "from outside the village" (see the module docstring)."""
    if person.home_village.township.county_id != village.township.county_id:
        raise _error(OTHER_COUNTY, "person", name=person.name, village=village.name)
    post = (
        Post.objects.filter(active_on_q(on), person=person, village=village)
        .order_by("committee", "position")
        .first()
    )
    if post is not None:
        raise _error(
            HOLDS_POST,
            "person",
            name=person.name,
            date=on.isoformat(),
            village=village.name,
            committee=post.get_committee_display(),
            post=post.get_position_display(),
        )
    membership = (
        Membership.objects.filter(membership_on_q(on), person=person, branch__village=village)
        .select_related("branch")
        .first()
    )
    if membership is not None:
        raise _error(
            IS_MEMBER, "person", name=person.name, date=on.isoformat(), branch=membership.branch.name
        )


def _check_not_too_late(day: dt.date, message, field: str) -> None:
    latest = timezone.localdate() + dt.timedelta(days=DAYS_AHEAD)
    if day > latest:
        raise _error(message, field, latest=latest.isoformat(), days=DAYS_AHEAD)


def _overlapping(queryset: QuerySet, start: dt.date, end: dt.date | None) -> Stationing | None:
    """The first stationing of ``queryset`` whose period meets [start, end]."""
    clash = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        clash = clash.filter(start_date__lte=end)
    return clash.select_related("person", "village").order_by("start_date").first()


def _check_periods(*, person: Person, village, start: dt.date, end: dt.date | None, exclude_pk=None) -> None:
    others = Stationing.objects.exclude(pk=exclude_pk) if exclude_pk else Stationing.objects.all()
    holder = _overlapping(others.filter(village=village), start, end)
    if holder is not None:
        raise _error(
            VILLAGE_TAKEN,
            "start_date",
            village=village.name,
            name=holder.person.name,
            start=holder.start_date.isoformat(),
            until=_until(holder),
        )
    elsewhere = _overlapping(others.filter(person=person), start, end)
    if elsewhere is not None:
        raise _error(
            PERSON_ELSEWHERE,
            "person",
            name=person.name,
            village=elsewhere.village.name,
            start=elsewhere.start_date.isoformat(),
            until=_until(elsewhere),
        )


def _check_writer(user, village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(NOT_OWN_TOWNSHIP)


@transaction.atomic
def stationing_create(*, user, person: Person, village, sending_unit: str, start_date: dt.date) -> Stationing:
    """Record that ``person``, sent by ``sending_unit``, is stationed in ``village`` from ``start_date``."""
    _check_writer(user, village)
    sending_unit = (sending_unit or "").strip()
    if not sending_unit:
        raise _error(SENDING_UNIT_REQUIRED, "sending_unit")
    _check_not_too_late(start_date, START_TOO_LATE, "start_date")
    # Two clerks recording the same village at once: the second waits here and sees the first.
    type(village).objects.select_for_update().filter(pk=village.pk).first()
    check_outsider(person=person, village=village, on=start_date)
    _check_periods(person=person, village=village, start=start_date, end=None)
    stationing = Stationing(person=person, village=village, sending_unit=sending_unit, start_date=start_date)
    save_checked(stationing)
    return stationing


@transaction.atomic
def stationing_end(*, user, stationing: Stationing, end_date: dt.date) -> Stationing:
    """离任: the first secretary leaves the village on ``end_date`` (counted that day)."""
    stationing = Stationing.objects.select_for_update().select_related("village").get(pk=stationing.pk)
    _check_writer(user, stationing.village)
    if stationing.end_date is not None:
        raise _error(ALREADY_ENDED, "end_date", date=stationing.end_date.isoformat())
    if end_date < stationing.start_date:
        raise _error(END_BEFORE_START, "end_date", start=stationing.start_date.isoformat())
    _check_not_too_late(end_date, END_TOO_LATE, "end_date")
    stationing.end_date = end_date
    save_checked(stationing)
    return stationing


CORRECTABLE = ["start_date", "end_date"]


def correctable_fields(stationing: Stationing) -> list[str]:
    return [name for name in CORRECTABLE if getattr(stationing, name) is not None]


@transaction.atomic
def stationing_correct(*, stationing: Stationing, user, reason: str, **values) -> StationingCorrection:
    """Correct a stationing's recorded dates with a reason: the same rules as recording it (outsider
    on the corrected start, no overlap, end not before start)."""
    from governance.corrections import changed_fields, nothing_to_correct, record_correction, require_reason

    stationing = (
        Stationing.objects.select_for_update()
        .select_related("person__home_village__township", "village__township")
        .get(pk=stationing.pk)
    )
    _check_writer(user, stationing.village)
    reason = require_reason(reason)
    allowed = correctable_fields(stationing)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    new = {name: values.get(name, getattr(stationing, name)) for name in allowed}
    for name, value in new.items():
        if value is None:
            raise _error(CORRECTION_REQUIRED, name)
    changes = changed_fields(stationing, new)
    if not changes:
        raise nothing_to_correct()
    start, end = new["start_date"], new.get("end_date")
    if end is not None and end < start:
        raise _error(END_BEFORE_START, "end_date", start=start.isoformat())
    if "start_date" in changes:
        _check_not_too_late(start, START_TOO_LATE, "start_date")
        check_outsider(person=stationing.person, village=stationing.village, on=start)
    if end is not None and "end_date" in changes:
        _check_not_too_late(end, END_TOO_LATE, "end_date")
    _check_periods(
        person=stationing.person, village=stationing.village, start=start, end=end, exclude_pk=stationing.pk
    )
    for name, value in new.items():
        setattr(stationing, name, value)
    stationing._change_reason = reason[:100]
    save_checked(stationing)
    return record_correction(
        StationingCorrection(stationing=stationing), user=user, reason=reason, changes=changes
    )
