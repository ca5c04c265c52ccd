"""Writes of training: classes, attendance and the county's yearly target.

Every function is keyword-only, atomic and attributed (``_history_user``). Errors are the constants
below; the forms check the same rules first so that a refused form keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.integrity import save_checked
from governance.versioning import lock_for_update
from training import selectors
from training.models import Attendance, AttendanceStatus, TrainingClass

CLASS_NOT_YOURS = gettext_noop(
    "县级培训班由本县（市）县级人员录入，乡镇培训班由本乡镇工作人员录入；您不能录入或修改这个培训班。"
)
CLASS_TOWNSHIP_OTHER_COUNTY = gettext_noop("主办乡镇不属于该县（市）。")
END_BEFORE_START = gettext_noop("结业日期不能早于开班日期。")
ATTENDANCE_OTHER_COUNTY = gettext_noop("%(name)s不是%(county)s的人员，不能登记本培训班的出勤。")
ABSENCE_REASON_REQUIRED = gettext_noop("%(name)s缺席，须填写缺席原因。")
UNKNOWN_STATUS = gettext_noop("出勤情况无效。")


def _check_writer(user, *, county_id, township_id) -> None:
    if not selectors.may_write_class(user, county_id=county_id, township_id=township_id):
        raise PermissionDenied(_(CLASS_NOT_YOURS))


def _set_fields(
    training_class: TrainingClass,
    *,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str,
    hours: Decimal,
    audience: list[str],
) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _(END_BEFORE_START)}, code="end_before_start")
    training_class.title = title.strip()
    training_class.start_date, training_class.end_date = start_date, end_date
    training_class.place = place.strip()
    training_class.hours = hours
    training_class.audience = list(dict.fromkeys(audience))


@transaction.atomic
def class_create(*, user, county, township=None, **fields) -> TrainingClass:
    """A class organised by ``county`` (``township`` None) or by ``township`` of it."""
    if township is not None and township.county_id != county.pk:
        raise ValidationError({"township": _(CLASS_TOWNSHIP_OTHER_COUNTY)}, code="county")
    _check_writer(user, county_id=county.pk, township_id=getattr(township, "pk", None))
    training_class = TrainingClass(county=county, township=township, created_by=user)
    _set_fields(training_class, **fields)
    training_class._history_user = user
    return save_checked(training_class)


@transaction.atomic
def class_update(*, training_class: TrainingClass, user, version: int | None, **fields) -> TrainingClass:
    _check_writer(user, county_id=training_class.county_id, township_id=training_class.township_id)
    lock_for_update(training_class, version=version)
    _set_fields(training_class, **fields)
    training_class._history_user = user
    return save_checked(training_class)


@transaction.atomic
def attendance_record(*, training_class: TrainingClass, user, entries: list[dict]) -> tuple[int, int]:
    """Record ``entries`` (``{"person", "status", "reason"}``) for ``training_class``: a new row per
    person not yet recorded, the status and reason of a recorded one changed. Every person must be of
    the class's county; an absence needs a reason. All or nothing. Returns (created, changed)."""
    _check_writer(user, county_id=training_class.county_id, township_id=training_class.township_id)
    by_person = {entry["person"].pk: entry for entry in entries}
    inside = set(
        selectors.people_of_county(training_class.county_id)
        .filter(pk__in=list(by_person))
        .values_list("pk", flat=True)
    )
    for entry in entries:
        person = entry["person"]
        if person.pk not in inside:
            raise ValidationError(
                _(ATTENDANCE_OTHER_COUNTY) % {"name": person.name, "county": training_class.county.name},
                code="county",
            )
        if entry["status"] not in AttendanceStatus.values:
            raise ValidationError(_(UNKNOWN_STATUS), code="status")
        entry["reason"] = (
            (entry.get("reason") or "").strip() if entry["status"] == AttendanceStatus.ABSENT else ""
        )
        if entry["status"] == AttendanceStatus.ABSENT and not entry["reason"]:
            raise ValidationError(_(ABSENCE_REASON_REQUIRED) % {"name": person.name}, code="reason")
    existing = {
        a.person_id: a
        for a in Attendance.objects.select_for_update().filter(
            training_class=training_class, person_id__in=list(by_person)
        )
    }
    created = changed = 0
    for person_id, entry in by_person.items():
        row = existing.get(person_id)
        if row is None:
            row = Attendance(training_class=training_class, person=entry["person"])
            created += 1
        elif (row.status, row.absence_reason) == (entry["status"], entry["reason"]):
            continue
        else:
            changed += 1
        row.status, row.absence_reason, row.recorded_by = entry["status"], entry["reason"], user
        row._history_user = user
        save_checked(row)
    return created, changed


def target_schedule(
    *, user, county, effective_from: dt.date, today: dt.date | None = None, seen=None, **values
):
    """``county``'s yearly class target (None: the default) from ``effective_from`` (today or
    later); a year is judged by the row in force on its 1 January."""
    from governance.policy import schedule
    from training.models import TrainingTarget

    return schedule(
        TrainingTarget,
        user=user,
        county=county,
        effective_from=effective_from,
        values=values,
        today=today,
        seen=seen,
    )
