"""Writes to supervision records. Views, the admin, demo data and send_reminders all call these.

Workflow (DESIGN §5): draft → submitted → approved, or submitted → returned (with a reason) →
resubmitted. One service per transition, each checking the current state.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from governance import corrections
from governance.corrections import changed_fields, nothing_to_correct, record_correction, require_reason
from governance.integrity import save_checked
from governance.models import User
from governance.roles import can_review, may_write_for
from governance.versioning import StaleRecord
from supervision import rules
from supervision.models import (
    AREA_FIELDS,
    ExceptionRequest,
    Kind,
    LockException,
    Rectification,
    RectificationCorrection,
    Reminder,
    Report,
    ReportCorrection,
    ReportingPeriod,
    ReportingPolicy,
)
from villages.models import Village

PERIOD_IN_FUTURE = gettext_noop("不能为尚未开始的期次填报：%(period)s 从 %(start)s 开始。")
REPORT_EXISTS = gettext_noop("该村%(period)s的%(kind)s已存在。")
PERIOD_LOCKED = gettext_noop(
    "%(period)s已于 %(locks_on)s 24 时锁定（截止日期 %(due)s 之后 %(days)s 天），"
    "不能再新建、修改或提交本期报告。"
    "如确需补报，请联系县级审核人员（%(who)s）为本村开放例外。"
)
NOT_EDITABLE = gettext_noop("报告%(status)s，乡镇不能再修改。")
NOT_DRAFT = gettext_noop("只有草稿可以提交。")
NOT_RETURNED = gettext_noop("只有被退回的报告可以重新提交。")
NOT_SUBMITTED = gettext_noop("只有已提交的报告可以审核。")
RETURN_REASON_REQUIRED = gettext_noop("退回须填写原因。")
DEADLINE_BEFORE_FINDING = rules.DEADLINE_BEFORE_FINDING
FOUND_IN_FUTURE = rules.FOUND_IN_FUTURE
CORRECTION_REASON_REQUIRED = corrections.REASON_REQUIRED
CORRECTION_UNCHANGED = corrections.NOTHING_CHANGED
CORRECTION_EMPTIES_REPORT = gettext_noop("更正后报告内容不能全部为空。")
NOT_APPROVED = gettext_noop("只有审核通过的报告需要更正；未通过审核的报告请直接修改。")
ITEM_NOT_ON_REPORT = gettext_noop("该整改事项不在本报告中。")
ITEM_ALREADY_CLOSED = gettext_noop("该整改事项已销号。")
CLOSING_NOTE_REQUIRED = gettext_noop("销号须填写说明。")
NOT_EDITOR = gettext_noop("只有本乡镇工作人员可以录入和修改监督报告。")
NOT_REVIEWER = gettext_noop("只有县级审核人员可以审核监督报告或开放例外。")
EXCEPTION_NOT_NEEDED = gettext_noop("%(period)s尚未锁定，无需开放例外。")
EXCEPTION_EXISTS = gettext_noop("该村%(period)s已开放例外。")
EXCEPTION_REASON_REQUIRED = gettext_noop("开放例外须填写原因。")
REQUEST_REASON_REQUIRED = gettext_noop("申请开放须填写理由。")
REQUEST_EXISTS = gettext_noop("该村%(period)s已申请开放，等待县级审批。")
REQUEST_DECIDED = gettext_noop("该申请已审批（%(state)s）。")
REFUSAL_REASON_REQUIRED = gettext_noop("不同意须填写原因。")


def may_edit_in(user, village: Village) -> bool:
    """Township staff of the village's township enter, change and correct its records."""
    return may_write_for(user, village.township_id)


def _require_editor(user, village: Village) -> None:
    if not may_edit_in(user, village):
        raise ValidationError(_(NOT_EDITOR))


def _require_reviewer(user, village: Village) -> None:
    if not can_review(user) or user.county_id != village.township.county_id:
        raise ValidationError(_(NOT_REVIEWER))


def lock_message(*, village: Village, period: ReportingPeriod) -> str:
    from supervision.selectors import county_officials_for

    names = "、".join(u.get_full_name() or u.username for u in county_officials_for(village)[:5])
    period = period.for_village(village)
    return _(PERIOD_LOCKED) % {
        "period": period.label,
        "locks_on": period.locks_on.isoformat(),
        "due": period.due_date.isoformat(),
        "days": (period.locks_on - period.due_date).days,
        "who": names or _("本县审核人员"),
    }


def period_lock_reason(
    *, village: Village, period: ReportingPeriod, today: dt.date | None = None
) -> str | None:
    """Why the period is closed to the township for this village, or None when it is open (the
    village's county's lock date: ``ReportingPeriod.for_county``)."""
    today = today or timezone.localdate()
    if not period.for_village(village).is_locked(today):
        return None
    if period.pk and LockException.objects.filter(village=village, period=period).exists():
        return None
    return lock_message(village=village, period=period)


def report_edit_block(*, report: Report, today: dt.date | None = None) -> str | None:
    """Why township staff cannot change ``report`` now, or None. A returned report stays editable
    after the lock date: the county official's return is itself the reopening."""
    if report.status in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        return _(NOT_EDITABLE) % {"status": report.get_status_display()}
    if report.status == Report.Status.RETURNED:
        return None
    return period_lock_reason(village=report.village, period=report.period, today=today)


@transaction.atomic
def period_ensure(*, kind: str, year: int, number: int) -> ReportingPeriod:
    """The period row, created with the policy's calendar the first time anyone reports for it."""
    period = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
    if period is None:
        period = ReportingPeriod.build(kind, year, number)
        # Uniqueness is the database's to judge (below): a check here would race the same way.
        period.full_clean(exclude=["deadline"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                period.save()
        except IntegrityError:
            # Clerks of several villages reported first at the same moment: another request made
            # the row (and its county dates) first; use it instead of answering 409.
            made = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
            if made is None:
                raise
            return made
        county_deadlines_write(period)
    return period


def _reporter_for(village: Village, period: ReportingPeriod, today: dt.date):
    from cadres.selectors import supervision_reporter_for

    return supervision_reporter_for(village=village, on=min(period.end, today))


@transaction.atomic
def report_create(
    *,
    village: Village,
    kind: str,
    year: int,
    number: int,
    user: User,
    data: dict | None = None,
    today: dt.date | None = None,
) -> Report:
    """A draft report for ``village`` and the period; rejects future periods, locked periods and a
    second report for the same village, period and kind."""
    today = today or timezone.localdate()
    _require_editor(user, village)
    start, _end = ReportingPeriod.bounds(kind, year, number)
    built = ReportingPeriod.build(kind, year, number)
    if start > today:
        raise ValidationError(_(PERIOD_IN_FUTURE) % {"period": built.label, "start": start.isoformat()})
    period = period_ensure(kind=kind, year=year, number=number)
    if Report.objects.filter(village=village, period=period).exists():
        raise ValidationError(
            _(REPORT_EXISTS) % {"period": period.label, "kind": period.get_kind_display()}, code="exists"
        )
    reason = period_lock_reason(village=village, period=period, today=today)
    if reason:
        raise ValidationError(reason, code="locked")
    report = Report(
        village=village,
        township=village.township,
        period=period,
        created_by=user,
        reporter=_reporter_for(village, period, today),
    )
    for field, value in (data or {}).items():
        if field in (*AREA_FIELDS.values(), "summary"):
            setattr(report, field, value)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a concurrent create of the same village and period
        raise ValidationError(
            _(REPORT_EXISTS) % {"period": period.label, "kind": period.get_kind_display()}, code="exists"
        ) from exc
    return report


def _lock_row(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("period", "village__township").get(pk=report.pk)


@transaction.atomic
def report_update(
    *, report: Report, user: User, version: int, data: dict, today: dt.date | None = None
) -> Report:
    """Save the findings. ``version`` is the one the user's form was opened at: if someone saved in
    between, nothing is written and the user is told (optimistic concurrency)."""
    _require_editor(user, report.village)
    current = _lock_row(report)
    if current.version != version:
        raise StaleRecord(current)
    block = report_edit_block(report=current, today=today)
    if block:
        raise ValidationError(block, code="locked")
    for field, value in data.items():
        if field in (*AREA_FIELDS.values(), "summary"):
            setattr(current, field, value)
    current.version += 1
    save_checked(current)
    return current


def _submit(current: Report, user: User, now: dt.datetime, early_reason: str = "") -> Report:
    """The submission rules of supervision/rules.py: not empty, not early without a reason."""
    if rules.report_is_empty(current):
        raise ValidationError(_(rules.EMPTY_REPORT), code="empty")
    reason = (early_reason or "").strip() or current.early_reason
    error = rules.early_reason_error(period=current.period, now=now, reason=reason)
    if error:
        raise ValidationError({"early_reason": error})
    if rules.is_early(current.period, now):
        current.early_reason = reason
    current.status = Report.Status.SUBMITTED
    current.first_submitted_at = current.first_submitted_at or now
    current.submitted_at = now
    current.version += 1
    save_checked(current)
    return current


@transaction.atomic
def report_submit(
    *, report: Report, user: User, now: dt.datetime | None = None, early_reason: str = ""
) -> Report:
    """draft → submitted. The first submission time is what timeliness is measured by."""
    _require_editor(user, report.village)
    current = _lock_row(report)
    if current.status != Report.Status.DRAFT:
        raise ValidationError(_(NOT_DRAFT))
    now = now or timezone.now()
    block = report_edit_block(report=current, today=timezone.localdate(now))
    if block:
        raise ValidationError(block, code="locked")
    return _submit(current, user, now, early_reason)


@transaction.atomic
def report_resubmit(
    *, report: Report, user: User, now: dt.datetime | None = None, early_reason: str = ""
) -> Report:
    """returned → submitted, after the township fixed what the reviewer asked for."""
    _require_editor(user, report.village)
    current = _lock_row(report)
    if current.status != Report.Status.RETURNED:
        raise ValidationError(_(NOT_RETURNED))
    return _submit(current, user, now or timezone.now(), early_reason)


@transaction.atomic
def report_approve(*, report: Report, user: User) -> Report:
    """submitted → approved (county official)."""
    _require_reviewer(user, report.village)
    current = _lock_row(report)
    if current.status != Report.Status.SUBMITTED:
        raise ValidationError(_(NOT_SUBMITTED))
    current.status = Report.Status.APPROVED
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.version += 1
    save_checked(current)
    return current


@transaction.atomic
def report_return(*, report: Report, user: User, reason: str) -> Report:
    """submitted → returned with a reason (county official); the township may then edit again."""
    _require_reviewer(user, report.village)
    if not (reason or "").strip():
        raise ValidationError({"reason": _(RETURN_REASON_REQUIRED)})
    current = _lock_row(report)
    if current.status != Report.Status.SUBMITTED:
        raise ValidationError(_(NOT_SUBMITTED))
    current.status = Report.Status.RETURNED
    current.return_reason = reason.strip()
    current.reviewed_by = user
    current.reviewed_at = timezone.now()
    current.version += 1
    save_checked(current)
    return current


@transaction.atomic
def rectification_add(
    *,
    report: Report,
    user: User,
    area: str,
    problem: str,
    responsible: str,
    found_on: dt.date,
    deadline: dt.date,
    today: dt.date | None = None,
) -> Rectification:
    """A problem found in ``report`` with its rectification deadline."""
    today = today or timezone.localdate()
    _require_editor(user, report.village)
    current = _lock_row(report)
    block = report_edit_block(report=current, today=today)
    if block:
        raise ValidationError(block, code="locked")
    errors = rules.rectification_date_errors(
        report=current, found_on=found_on, deadline=deadline, today=today
    )
    if errors:
        raise ValidationError(errors)
    item = Rectification(
        village=current.village,
        opened_in=current,
        area=area,
        problem=problem.strip(),
        responsible=responsible.strip(),
        found_on=found_on,
        deadline=deadline,
    )
    save_checked(item)
    return item


CORRECTABLE_FIELDS = ("area", "problem", "responsible", "found_on", "deadline")


@transaction.atomic
def rectification_correct(
    *, item: Rectification, user: User, reason: str, today: dt.date | None = None, **fields
) -> RectificationCorrection:
    """The township corrects a recorded item (any time, also after the report was approved or the
    item closed), with a required reason. The dates are held to the same rules as a new item; the
    item's history keeps the old values and the correction row says who, when, why and what."""
    today = today or timezone.localdate()
    _require_editor(user, item.village)
    reason = require_reason(reason)
    current = (
        Rectification.objects.select_for_update()
        .select_related("opened_in__period", "opened_in__village")
        .get(pk=item.pk)
    )
    values = {name: fields[name] for name in CORRECTABLE_FIELDS if name in fields}
    for name in ("problem", "responsible"):
        if name in values:
            values[name] = (values[name] or "").strip()
    changes = changed_fields(current, values)
    if not changes:
        raise nothing_to_correct()
    found_on = values.get("found_on", current.found_on)
    deadline = values.get("deadline", current.deadline)
    # A date kept as it was is not re-judged (an old item may predate a rule); a changed one is.
    errors = rules.rectification_date_errors(
        report=current.opened_in, found_on=found_on, deadline=deadline, today=today
    )
    errors = {
        name: messages
        for name, messages in errors.items()
        if name in changes or (name == "deadline" and "found_on" in changes)
    }
    if errors:
        raise ValidationError(errors)
    for name in changes:
        setattr(current, name, values[name])
    current._change_reason = reason[:100]
    save_checked(current)
    return record_correction(
        RectificationCorrection(item=current),
        user=user,
        reason=reason,
        changes=changes,
        after_approval=current.opened_in.status == Report.Status.APPROVED,
    )


REPORT_CORRECTABLE_FIELDS = (*AREA_FIELDS.values(), "summary")


@transaction.atomic
def report_correct(
    *, report: Report, user: User, reason: str, version: int | None = None, **fields
) -> ReportCorrection:
    """The township corrects the content of an APPROVED report (findings, summary) with a required
    reason. The report stays approved; the correction is kept with who, when, why and what, and county
    officials see it on the report page. A report not yet approved is edited instead. ``version`` (the
    one the form was opened at) refuses a correction made over someone else's change."""
    _require_editor(user, report.village)
    reason = require_reason(reason)
    current = _lock_row(report)
    if version is not None and current.version != version:
        raise StaleRecord(current)
    if current.status != Report.Status.APPROVED:
        raise ValidationError(_(NOT_APPROVED), code="not_approved")
    values = {name: fields[name] for name in REPORT_CORRECTABLE_FIELDS if name in fields}
    for name, value in values.items():
        values[name] = (value or "").strip()
    changes = changed_fields(current, values)
    if not changes:
        raise nothing_to_correct()
    # An approved report was not empty when submitted; a correction cannot empty it either.
    if rules.is_empty({**{name: getattr(current, name) for name in REPORT_CORRECTABLE_FIELDS}, **values}):
        raise ValidationError(_(CORRECTION_EMPTIES_REPORT), code="empty")
    for name in changes:
        setattr(current, name, values[name])
    current.version += 1
    current._change_reason = reason[:100]
    save_checked(current)
    return record_correction(
        ReportCorrection(report=current), user=user, reason=reason, changes=changes, after_approval=True
    )


@transaction.atomic
def rectification_close(
    *, item: Rectification, report: Report, user: User, note: str, today: dt.date | None = None
) -> Rectification:
    """Close an open item in ``report`` (one of the village's reports that carries it or opened it);
    the closing is recorded on that report."""
    today = today or timezone.localdate()
    _require_editor(user, report.village)
    current = _lock_row(report)
    block = report_edit_block(report=current, today=today)
    if block:
        raise ValidationError(block, code="locked")
    item = Rectification.objects.select_for_update().select_related("opened_in__period").get(pk=item.pk)
    if item.village_id != current.village_id or item.opened_in.period.end > current.period.end:
        raise ValidationError(_(ITEM_NOT_ON_REPORT))
    if item.status == Rectification.Status.CLOSED:
        raise ValidationError(_(ITEM_ALREADY_CLOSED))
    if not (note or "").strip():
        raise ValidationError({"closing_note": _(CLOSING_NOTE_REQUIRED)})
    item.status = Rectification.Status.CLOSED
    item.closed_in = current
    item.closed_on = today
    item.closing_note = note.strip()
    save_checked(item)
    return item


@transaction.atomic
def lock_exception_open(
    *,
    village: Village,
    kind: str,
    year: int,
    number: int,
    user: User,
    reason: str,
    today: dt.date | None = None,
) -> LockException:
    """A county official reopens a locked period for one village."""
    today = today or timezone.localdate()
    _require_reviewer(user, village)
    if not (reason or "").strip():
        raise ValidationError({"reason": _(EXCEPTION_REASON_REQUIRED)})
    period = period_ensure(kind=kind, year=year, number=number)
    if not period.for_village(village).is_locked(today):
        raise ValidationError(_(EXCEPTION_NOT_NEEDED) % {"period": period.label})
    if LockException.objects.filter(village=village, period=period).exists():
        raise ValidationError(_(EXCEPTION_EXISTS) % {"period": period.label})
    exception = LockException(village=village, period=period, reason=reason.strip(), opened_by=user)
    save_checked(exception)
    return exception


@transaction.atomic
def exception_request_create(
    *,
    village: Village,
    kind: str,
    year: int,
    number: int,
    user: User,
    reason: str,
    today: dt.date | None = None,
) -> ExceptionRequest:
    """Township staff ask the county to reopen a locked period for one of their villages (申请开放)."""
    today = today or timezone.localdate()
    _require_editor(user, village)
    if not (reason or "").strip():
        raise ValidationError({"reason": _(REQUEST_REASON_REQUIRED)})
    period = period_ensure(kind=kind, year=year, number=number)
    if not period.for_village(village).is_locked(today):
        raise ValidationError(_(EXCEPTION_NOT_NEEDED) % {"period": period.label})
    if LockException.objects.filter(village=village, period=period).exists():
        raise ValidationError(_(EXCEPTION_EXISTS) % {"period": period.label})
    pending = ExceptionRequest.objects.select_for_update().filter(
        village=village, period=period, state=ExceptionRequest.State.REQUESTED
    )
    if pending.exists():
        raise ValidationError(_(REQUEST_EXISTS) % {"period": period.label})
    request = ExceptionRequest(village=village, period=period, reason=reason.strip(), requested_by=user)
    save_checked(request)
    return request


def _lock_request(request: ExceptionRequest, user: User) -> ExceptionRequest:
    _require_reviewer(user, request.village)
    current = (
        ExceptionRequest.objects.select_for_update().select_related("period", "village").get(pk=request.pk)
    )
    if current.state != ExceptionRequest.State.REQUESTED:
        raise ValidationError(_(REQUEST_DECIDED) % {"state": current.get_state_display()})
    return current


@transaction.atomic
def exception_request_grant(
    *, request: ExceptionRequest, user: User, today: dt.date | None = None
) -> LockException:
    """requested → granted: the county official opens the exception the township asked for."""
    current = _lock_request(request, user)
    period = current.period
    exception = lock_exception_open(
        village=current.village,
        kind=period.kind,
        year=period.year,
        number=period.number,
        user=user,
        reason=current.reason,
        today=today,
    )
    current.state = ExceptionRequest.State.GRANTED
    current.decided_by = user
    current.decided_at = timezone.now()
    save_checked(current)
    return exception


@transaction.atomic
def exception_request_refuse(*, request: ExceptionRequest, user: User, reason: str) -> ExceptionRequest:
    """requested → refused with a reason; the period stays locked for the village."""
    _require_reviewer(user, request.village)
    if not (reason or "").strip():
        raise ValidationError({"reason": _(REFUSAL_REASON_REQUIRED)})
    current = _lock_request(request, user)
    current.state = ExceptionRequest.State.REFUSED
    current.refusal_reason = reason.strip()
    current.decided_by = user
    current.decided_at = timezone.now()
    save_checked(current)
    return current


POLICY_PERIOD_REPORTED = gettext_noop(
    "%(period)s已有报告，不能从 %(date)s 起改变它的截止日期：请选择该期次之后的日期。"
)


@transaction.atomic
def policy_update(*, user: User, **fields) -> ReportingPolicy:
    """Admins edit the deployment default from today (a new row from today, history kept)."""
    current = ReportingPolicy.current()
    values = {**current.values(), **fields}
    return policy_schedule(user=user, county=None, effective_from=timezone.localdate(), **values)


@transaction.atomic
def policy_schedule(
    *, user: User, county, effective_from: dt.date, today: dt.date | None = None, seen=None, **values
) -> ReportingPolicy:
    """``county``'s reporting calendar (None: the default) from ``effective_from`` (today or later).

    It applies to the periods starting on or after that date. Periods of those already created get
    the new dates for the county only when none of the county's villages has a report in them
    (refused otherwise): a report keeps the due date it was made under."""
    from django.core.exceptions import PermissionDenied

    from governance.policy import may_set
    from supervision.models import PeriodDeadline  # noqa: F401  (kept with the period)

    today = today or timezone.localdate()
    county_id = getattr(county, "pk", county)
    if not may_set(user, county_id):
        raise PermissionDenied
    ReportingPolicy(effective_from=effective_from).check_not_backdated(today)
    later = list(ReportingPeriod.objects.select_for_update().filter(start__gte=effective_from or today))
    if effective_from is not None and later:
        made = Report.objects.filter(period__in=later)
        if county_id:
            made = made.filter(township__county_id=county_id)
        first = made.select_related("period").order_by("period__start").first()
        if first is not None:
            raise ValidationError(
                {
                    "effective_from": _(POLICY_PERIOD_REPORTED)
                    % {"period": first.period.label, "date": effective_from.isoformat()}
                }
            )
    policy = policy_schedule_row(
        user=user, county=county, effective_from=effective_from, values=values, today=today, seen=seen
    )
    for period in later:
        if county_id is None:
            default = ReportingPeriod.build(period.kind, period.year, period.number)
            period.due_date, period.locks_on = default.due_date, default.locks_on
            period.full_clean(exclude=["deadline"])
            period.save()
            county_deadlines_write(period)
        else:
            county_deadlines_write(period, county_ids=[county_id])
    return policy


def policy_schedule_row(**kwargs):
    from governance.policy import schedule

    return schedule(ReportingPolicy, **kwargs)


def county_deadlines_write(period: ReportingPeriod, county_ids=None) -> None:
    """Keep ``PeriodDeadline`` rows for the counties whose calendar in force on the period's first
    day differs from the period's own dates (and none for the others)."""
    from supervision.models import PeriodDeadline

    if county_ids is None:
        county_ids = set(
            ReportingPolicy.objects.filter(county__isnull=False, effective_from__lte=period.start)
            .values_list("county_id", flat=True)
            .distinct()
        ) | set(PeriodDeadline.objects.filter(period=period).values_list("county_id", flat=True))
    for county_id in county_ids:
        policy = ReportingPolicy.effective(county_id, on=period.start)
        built = ReportingPeriod.build(period.kind, period.year, period.number, policy)
        if (built.due_date, built.locks_on) == (period.due_date, period.locks_on):
            PeriodDeadline.objects.filter(period=period, county_id=county_id).delete()
            continue
        row = PeriodDeadline.objects.filter(period=period, county_id=county_id).first() or PeriodDeadline(
            period=period, county_id=county_id
        )
        row.due_date, row.locks_on = built.due_date, built.locks_on
        row.save()
    flag = PeriodDeadline.objects.filter(period=period).exists()
    if flag != period.county_calendars:
        ReportingPeriod.objects.filter(pk=period.pk).update(county_calendars=flag)
        period.county_calendars = flag


def periods_ensure(*, today: dt.date) -> list[ReportingPeriod]:
    """Create the periods that reminders look at (due within the look-back window or soon), so a
    period nobody has started yet still produces reminders for every village."""
    policy = ReportingPolicy.current()
    earliest = today - dt.timedelta(days=policy.reminder_lookback_days)
    candidates = []
    for back in range(0, policy.reminder_lookback_days // 28 + 3):
        month_first = (today.replace(day=1) - dt.timedelta(days=28 * back)).replace(day=1)
        candidates.append((Kind.MONTHLY, month_first.year, month_first.month))
        candidates.append((Kind.QUARTERLY, month_first.year, (month_first.month - 1) // 3 + 1))
    candidates += [(Kind.ANNUAL, today.year - 1, 1), (Kind.ANNUAL, today.year, 1)]
    periods = []
    for kind, year, number in dict.fromkeys(candidates):
        built = ReportingPeriod.build(kind, year, number, policy)
        if built.start <= today and built.due_date >= earliest:
            periods.append(period_ensure(kind=kind, year=year, number=number))
    return periods


def reminders_send(*, today: dt.date | None = None, stdout=None) -> int:
    """E-mail every township staff member and county official what is due or overdue, at most once
    per person, report and day (``Reminder``'s unique constraint); returns the number of e-mails."""
    from supervision.selectors import due_reports_for

    today = today or timezone.localdate()
    periods_ensure(today=today)
    sent = 0
    recipients = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(role__in=["township", "county"])
        .order_by("pk")
    )
    for user in recipients:
        with transaction.atomic():
            # Serialises concurrent runs for this person, so two crons cannot both send today's mail.
            User.objects.select_for_update().filter(pk=user.pk).first()
            items = due_reports_for(user, today=today)
            if not items:
                continue
            already = set(
                Reminder.objects.filter(recipient=user, sent_on=today).values_list("village_id", "period_id")
            )
            fresh = [item for item in items if (item.village.pk, item.period.pk) not in already]
            if not fresh:
                continue
            bulk_create_with_history(
                [
                    Reminder(recipient=user, village=i.village, period=i.period, kind=i.kind, sent_on=today)
                    for i in fresh
                ],
                Reminder,
            )
            # In the recipient's language (their preferred one when the model has it, else the site's).
            with translation.override(_reminder_language(user)):
                send_mail(_reminder_subject(fresh), _reminder_body(user, fresh, today), None, [user.email])
            sent += 1
    if stdout:
        stdout.write(f"已发送 {sent} 封催报提醒")
    return sent


def _reminder_language(user) -> str:
    from django.conf import settings

    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _reminder_subject(items) -> str:
    return _("监督报告催报：%(n)s 份报告待提交") % {"n": len(items)}


def _reminder_body(user, items, today: dt.date) -> str:
    lines = [_("%(name)s，您好：") % {"name": user.get_full_name() or user.username}, ""]
    for item in items:
        if item.period.due_date >= today:
            when = _("%(date)s 截止") % {"date": item.period.due_date.isoformat()}
        else:
            when = _("已逾期 %(days)s 天") % {"days": (today - item.period.due_date).days}
        # The report's title (2025年3月月报 / March 2025 monthly report) and the colon in the language.
        lines.append(f"- {item.village.township.name} {item.village.name} {item.period.title}{_('：')}{when}")
    lines += ["", _("请登录基层治理档案系统处理。")]
    return "\n".join(lines)
