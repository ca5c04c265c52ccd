"""Writes of 五公开: drafts (with finance lines), publishing, corrections and withdrawal.

Every function is keyword-only, atomic and attributed (``_history_user``). The totals rule is
checked here again, inside the transaction, whatever the form said: a finance disclosure's stated
income and expenditure totals equal the sums of its lines, to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disclosures.models import ZERO, Category, Disclosure, DisclosureCorrection, FinanceLine
from governance.corrections import changed_fields, nothing_to_correct, record_correction, require_reason
from governance.integrity import save_checked
from governance.roles import may_write_for
from governance.versioning import lock_for_update

NOT_YOURS = gettext_noop("只有本乡镇的工作人员可以录入和发布该村的公开事项。")
PERIOD_ORDER = gettext_noop("所属期止（%(end)s）不能早于所属期起（%(start)s）。")
TOTAL_MISMATCH = gettext_noop(
    "%(label)s %(stated)s 元与各%(kind)s明细之和 %(sum)s 元不符，相差 %(difference)s 元。"
)
TOTALS_REQUIRED = gettext_noop("财务公开须填写收入合计和支出合计。")
LINES_NOT_FINANCE = gettext_noop("只有财务公开可以填写收支明细；请删除明细或把类别改为财务。")
NOT_DRAFT = gettext_noop("只有草稿可以修改，当前状态：%(state)s。已公开的内容请用“更正”。")
PUBLISH_WRONG_STATE = gettext_noop("只有草稿可以发布，当前状态：%(state)s。")
PUBLISH_FUTURE = gettext_noop("公开日期（%(date)s）晚于今天，到公开日期再发布。")
WITHDRAW_WRONG_STATE = gettext_noop("只有已公开的内容可以撤回，当前状态：%(state)s。")
CORRECT_WRONG_STATE = gettext_noop("只有已公开的内容可以更正，当前状态：%(state)s。")
WITHDRAW_REASON_REQUIRED = gettext_noop("撤回须填写原因。")

# The fields a correction may change (lines and totals are not corrected: withdraw and post anew).
CORRECTABLE = ("title", "text", "posted_on", "period_start", "period_end")


def _check_editor(user, village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(_(NOT_YOURS))


def money(value) -> str:
    """1234.5 → "1,234.50" (the figures in error messages, as on the board)."""
    return f"{Decimal(value):,.2f}"


def total_errors(*, income_total, expenditure_total, lines) -> dict[str, str]:
    """``{field: message}`` for each stated total that is not the sum of its lines (the one rule;
    forms and services both call it). ``lines`` are dicts or FinanceLines with ``kind`` and ``amount``."""
    errors = {}
    for field, kind, stated, label, kind_label in (
        ("income_total", FinanceLine.Kind.INCOME, income_total, _("收入合计"), _("收入")),
        ("expenditure_total", FinanceLine.Kind.EXPENDITURE, expenditure_total, _("支出合计"), _("支出")),
    ):
        if stated is None:
            continue
        total = sum((_get(line, "amount") for line in lines if _get(line, "kind") == kind), ZERO)
        if total != stated:
            errors[field] = _(TOTAL_MISMATCH) % {
                "label": label,
                "stated": money(stated),
                "kind": kind_label,
                "sum": money(total),
                "difference": money(abs(stated - total)),
            }
    return errors


def _get(line, name):
    return line[name] if isinstance(line, dict) else getattr(line, name)


def period_error(start: dt.date | None, end: dt.date | None) -> str | None:
    if start and end and end < start:
        return _(PERIOD_ORDER) % {"start": start.isoformat(), "end": end.isoformat()}
    return None


def _check_content(*, category, period_start, period_end, income_total, expenditure_total, lines) -> None:
    error = period_error(period_start, period_end)
    if error:
        raise ValidationError({"period_end": error}, code="period")
    if category != Category.FINANCE:
        if lines:
            raise ValidationError(_(LINES_NOT_FINANCE), code="lines")
        return
    if income_total is None or expenditure_total is None:
        raise ValidationError(_(TOTALS_REQUIRED), code="totals")
    errors = total_errors(income_total=income_total, expenditure_total=expenditure_total, lines=lines)
    if errors:
        raise ValidationError(errors, code="totals")


def _write_lines(disclosure: Disclosure, lines: list[dict], user) -> None:
    """Replace the disclosure's lines by ``lines`` (each checked: item, amount ≥ 0, no personal data)."""
    for old in disclosure.lines.all():
        old._history_user = user
        old.delete()
    for position, data in enumerate(lines, start=1):
        line = FinanceLine(
            disclosure=disclosure,
            position=position,
            kind=data["kind"],
            item=(data["item"] or "").strip(),
            amount=data["amount"],
        )
        line._history_user = user
        save_checked(line)


def _fill(disclosure: Disclosure, *, category, title, text, posted_on, period_start, period_end, totals):
    disclosure.category = category
    disclosure.title = (title or "").strip()
    disclosure.text = (text or "").strip()
    disclosure.posted_on = posted_on
    disclosure.period_start, disclosure.period_end = period_start, period_end
    if category == Category.FINANCE:
        disclosure.income_total, disclosure.expenditure_total = totals
    else:
        disclosure.income_total = disclosure.expenditure_total = None


@transaction.atomic
def disclosure_create(
    *,
    user,
    village,
    category: str,
    title: str,
    text: str,
    posted_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    income_total: Decimal | None = None,
    expenditure_total: Decimal | None = None,
    lines: list[dict] | None = None,
) -> Disclosure:
    """A draft disclosure of ``village`` (with its finance lines). All or nothing."""
    _check_editor(user, village)
    lines = list(lines or [])
    _check_content(
        category=category,
        period_start=period_start,
        period_end=period_end,
        income_total=income_total,
        expenditure_total=expenditure_total,
        lines=lines,
    )
    disclosure = Disclosure(village=village, created_by=user)
    _fill(
        disclosure,
        category=category,
        title=title,
        text=text,
        posted_on=posted_on,
        period_start=period_start,
        period_end=period_end,
        totals=(income_total, expenditure_total),
    )
    disclosure._history_user = user
    save_checked(disclosure)
    _write_lines(disclosure, lines, user)
    return disclosure


@transaction.atomic
def disclosure_update(
    *,
    disclosure: Disclosure,
    user,
    version: int | None,
    category: str,
    title: str,
    text: str,
    posted_on: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    income_total: Decimal | None = None,
    expenditure_total: Decimal | None = None,
    lines: list[dict] | None = None,
) -> Disclosure:
    """Change a draft (its lines replaced by ``lines``). Published ones are corrected instead."""
    _check_editor(user, disclosure.village)
    lock_for_update(disclosure, version=version)
    current = Disclosure.objects.get(pk=disclosure.pk)
    if current.state != Disclosure.State.DRAFT:
        raise ValidationError(_(NOT_DRAFT) % {"state": current.get_state_display()}, code="state")
    lines = list(lines or [])
    _check_content(
        category=category,
        period_start=period_start,
        period_end=period_end,
        income_total=income_total,
        expenditure_total=expenditure_total,
        lines=lines,
    )
    _fill(
        disclosure,
        category=category,
        title=title,
        text=text,
        posted_on=posted_on,
        period_start=period_start,
        period_end=period_end,
        totals=(income_total, expenditure_total),
    )
    disclosure._history_user = user
    save_checked(disclosure)
    _write_lines(disclosure, lines, user)
    return disclosure


def _locked(disclosure: Disclosure) -> Disclosure:
    """``disclosure`` re-read under a row lock, so two transitions never both pass their state check."""
    current = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    disclosure.state, disclosure.version = current.state, current.version + 1
    return disclosure


@transaction.atomic
def disclosure_publish(*, disclosure: Disclosure, user) -> Disclosure:
    """draft → published: on the public board from now on, never edited again (corrected instead)."""
    _check_editor(user, disclosure.village)
    _locked(disclosure)
    if disclosure.state != Disclosure.State.DRAFT:
        raise ValidationError(
            _(PUBLISH_WRONG_STATE) % {"state": disclosure.get_state_display()}, code="state"
        )
    if disclosure.posted_on > timezone.localdate():
        raise ValidationError(_(PUBLISH_FUTURE) % {"date": disclosure.posted_on.isoformat()}, code="future")
    _check_content(
        category=disclosure.category,
        period_start=disclosure.period_start,
        period_end=disclosure.period_end,
        income_total=disclosure.income_total,
        expenditure_total=disclosure.expenditure_total,
        lines=list(disclosure.lines.all()),
    )
    disclosure.state = Disclosure.State.PUBLISHED
    disclosure.published_at = timezone.now()
    disclosure.published_by = user
    disclosure._history_user = user
    return save_checked(disclosure)


@transaction.atomic
def disclosure_withdraw(*, disclosure: Disclosure, user, reason: str) -> Disclosure:
    """published → withdrawn with a reason: the board keeps it, marked withdrawn, with the reason."""
    _check_editor(user, disclosure.village)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(WITHDRAW_REASON_REQUIRED)}, code="reason")
    _locked(disclosure)
    if disclosure.state != Disclosure.State.PUBLISHED:
        raise ValidationError(
            _(WITHDRAW_WRONG_STATE) % {"state": disclosure.get_state_display()}, code="state"
        )
    disclosure.state = Disclosure.State.WITHDRAWN
    disclosure.withdrawal_reason = reason
    disclosure.withdrawn_at = timezone.now()
    disclosure._history_user = user
    return save_checked(disclosure)


@transaction.atomic
def disclosure_correct(*, disclosure: Disclosure, user, version: int | None, reason: str, **values):
    """Correct a published disclosure's title, text, posted date or period, with a reason
    (governance.corrections). Lines and totals are not corrected: withdraw and post anew."""
    _check_editor(user, disclosure.village)
    reason = require_reason(reason)
    lock_for_update(disclosure, version=version)
    current = Disclosure.objects.get(pk=disclosure.pk)
    if current.state != Disclosure.State.PUBLISHED:
        raise ValidationError(_(CORRECT_WRONG_STATE) % {"state": current.get_state_display()}, code="state")
    values = {name: values[name] for name in CORRECTABLE if name in values}
    for name in ("title", "text"):
        if name in values:
            values[name] = (values[name] or "").strip()
    error = period_error(
        values.get("period_start", disclosure.period_start), values.get("period_end", disclosure.period_end)
    )
    if error:
        raise ValidationError({"period_end": error}, code="period")
    changes = changed_fields(disclosure, values)
    if not changes:
        raise nothing_to_correct()
    for name, value in values.items():
        setattr(disclosure, name, value)
    disclosure._history_user = user
    save_checked(disclosure)
    record_correction(DisclosureCorrection(disclosure=disclosure), user=user, reason=reason, changes=changes)
    return disclosure
