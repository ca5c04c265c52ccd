from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from governance.exports import Column
from governance.history import history_entries
from governance.listing import filtered_list
from governance.permissions import editor_required, reviewer_required
from governance.roles import can_edit_records, can_review, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale
from supervision import rules, selectors, services
from supervision.filters import ReportFilter
from supervision.forms import (
    CloseForm,
    CorrectionForm,
    ReasonForm,
    RectificationForm,
    ReportCorrectionForm,
    ReportCreateForm,
    ReportEditForm,
    SubmitForm,
)
from supervision.models import Kind, ReportingPeriod
from supervision.widgets import PeriodSelect
from villages.selectors import counties_visible_to, townships_visible_to, villages_visible_to

REPORT_COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda r: r.township.name),
    Column(_lazy("村（社区）"), lambda r: r.village.name),
    Column(_lazy("区划代码"), lambda r: r.village.code),
    Column(_lazy("报告类型"), lambda r: r.period.get_kind_display()),
    Column(_lazy("期次"), lambda r: r.period.label),
    Column(_lazy("状态"), lambda r: r.get_status_display()),
    Column(_lazy("报告人"), lambda r: r.reporter.name if r.reporter else ""),
    Column(_lazy("截止日期"), lambda r: r.period.due_date),
    Column(_lazy("首次提交时间"), lambda r: r.first_submitted_at),
    Column(_lazy("逾期"), lambda r: r.late),
    Column(_lazy("退回原因"), lambda r: r.return_reason),
]


def _report(request, public_id):
    return get_visible_or_404(selectors.reports_visible_to(request.user), public_id=public_id)


@require_safe
@login_required
def index(request):
    reports = selectors.reports_visible_to(request.user).order_by(
        "-period__end", "period__kind", "village__code"
    )
    if not any(request.GET.get(name) for name in ReportFilter.base_filters):
        # The whole list (a province: 2 million reports) is counted from the tallies.
        reports = selectors.counted_by_tally(reports, request.user)
    return filtered_list(
        request,
        queryset=reports,
        filterset_class=ReportFilter,
        columns=REPORT_COLUMNS,
        filename="监督报告",
        template="supervision/report_list.html",
        partial_template="supervision/_report_table.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def report_new(request):
    villages = villages_visible_to(request.user).filter(valid_to__isnull=True).order_by("code")
    submitting = request.POST.get("action") == "submit"
    form = ReportCreateForm(
        request.POST or None,
        villages=villages,
        initial=_new_initial(request, villages),
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        kind, year, number = form.cleaned_data["period"]
        try:
            report = services.report_create(
                village=form.cleaned_data["village"],
                kind=kind,
                year=year,
                number=number,
                user=request.user,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if submitting:  # the second step: confirm what submitting means
                messages.success(request, _("草稿已保存，请确认提交。"))
                return redirect("supervision:report_submit", report.public_id)
            messages.success(request, _("报告已保存。"))
            return redirect("supervision:report_detail", report.public_id)
    context = {"form": form, **_new_context(request, villages)}
    return render(request, "supervision/report_new.html", context, status=form_status(form))


def _new_initial(request, villages) -> dict:
    """Pre-fill from the grid's link; a quarterly/annual report starts from its months/quarters."""
    initial = {"village": request.GET.get("village"), "period": request.GET.get("period")}
    village = villages.filter(code=request.GET.get("village") or "").first()
    period = selectors.period_from_key(request.GET.get("period") or "")
    if village and period and period.kind != Kind.MONTHLY:
        initial.update(selectors.rollup_text(village=village, period=period))
    return initial


def _new_context(request, villages) -> dict:
    village = villages.filter(code=request.GET.get("village") or request.POST.get("village") or "").first()
    period = selectors.period_from_key(request.GET.get("period") or request.POST.get("period") or "")
    if not (village and period):
        return {}
    return {
        "village": village,
        "period": period,
        "lock_reason": services.period_lock_reason(village=village, period=period),
        "rollup": selectors.rollup_figures(village=village, period=period)
        if period.kind != Kind.MONTHLY
        else None,
    }


def _detail_context(request, report, *, item_form=None) -> dict:
    opened = list(selectors.opened_items(report))
    carried = list(selectors.carried_items(report))
    corrections = selectors.attach_corrections([*opened, *carried])
    # Only an approved report is corrected (and an approved report is final).
    approved = report.status == report.Status.APPROVED
    report_corrections = selectors.report_corrections(report) if approved else []
    return {
        "report": report,
        "edit_block": services.report_edit_block(report=report),
        "may_edit": can_edit_records(request.user),
        "may_correct": services.may_edit_in(request.user, report.village),
        "may_review": can_review(request.user),
        "carried": carried,
        "opened": opened,
        # The township sees the corrections of the content; county officials see them together with
        # the corrections of the report's items made after approval.
        "report_corrections": report_corrections,
        "late_corrections": _late_corrections(report, corrections, report_corrections)
        if can_review(request.user)
        else [],
        "rollup": selectors.rollup_figures(village=report.village, period=report.period)
        if report.period.kind != Kind.MONTHLY
        else None,
        "item_form": item_form
        or RectificationForm(initial={"found_on": timezone.localdate()}, report=report),
        "return_form": ReasonForm(),
        "history": history_entries(report),
    }


def _late_corrections(report, item_corrections, report_corrections) -> list:
    """For county officials: the corrections made after approval, of the report's content and of the
    items it found, together and oldest first, each naming what it corrected."""
    late = [c for c in item_corrections if c.after_approval and c.item.opened_in_id == report.pk]
    for c in late:
        c.record_label = _("整改事项") + _("：") + Truncator(c.item.problem).chars(40)
    for c in report_corrections:
        c.record_label = _("报告内容")
    return sorted([*late, *report_corrections], key=lambda c: (c.corrected_at, c.pk))


@require_safe
@login_required
def report_detail(request, public_id):
    report = _report(request, public_id)
    return render(request, "supervision/report_detail.html", _detail_context(request, report))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def report_edit(request, public_id):
    report = _report(request, public_id)
    form = ReportEditForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report, user=request.user, version=form.cleaned_data["version"], data=form.cleaned_data
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=reverse("supervision:report_detail", args=[report.public_id]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("报告已保存。"))
            return redirect("supervision:report_detail", report.public_id)
    context = {"report": report, "form": form, "edit_block": services.report_edit_block(report=report)}
    return render(request, "supervision/report_edit.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def report_correct(request, public_id):
    """更正 of an approved report's content with a required reason; the report stays approved and the
    county official sees the correction on the report page. A report not yet approved is edited."""
    report = _report(request, public_id)
    form = ReportCorrectionForm(request.POST if request.method == "POST" else None, instance=report)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.REPORT_CORRECTABLE_FIELDS}
        try:
            services.report_correct(
                report=report,
                user=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                **data,
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=reverse("supervision:report_detail", args=[report.public_id]))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("报告已更正，更正原因已记录。"))
            return redirect("supervision:report_detail", report.public_id)
    context = {
        "report": report,
        "form": form,
        "not_approved": report.status != report.Status.APPROVED,
        "corrections": selectors.report_corrections(report),
    }
    return render(request, "supervision/report_correct.html", context, status=form_status(form))


def _transition(request, public_id, service, done_message, **kwargs):
    report = _report(request, public_id)
    try:
        service(report=report, user=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message)
    return redirect("supervision:report_detail", report.public_id)


def _confirm_submit(request, public_id, service, done_message):
    """提交 / 重新提交 in two steps (no JavaScript): GET shows what will happen and asks for the early
    reason when the period has not ended; POST carries it out."""
    report = _report(request, public_id)
    resubmit = service is services.report_resubmit
    now = timezone.now()
    form = SubmitForm(request.POST if request.method == "POST" else None, report=report, now=now)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                report=report,
                user=request.user,
                now=now,
                early_reason=form.cleaned_data.get("early_reason", ""),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and not set(exc.error_dict) <= set(form.fields):
                form.add_error(None, " ".join(exc.messages))
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, done_message)
            return redirect("supervision:report_detail", report.public_id)
    expected = "returned" if resubmit else "draft"
    context = {
        "report": report,
        "form": form,
        "resubmit": resubmit,
        "wrong_state": report.status != expected,
        "edit_block": services.report_edit_block(report=report) if not resubmit else None,
        "empty": rules.report_is_empty(report),
    }
    return render(request, "supervision/report_submit.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def report_submit(request, public_id):
    return _confirm_submit(request, public_id, services.report_submit, _("报告已提交。"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def report_resubmit(request, public_id):
    return _confirm_submit(request, public_id, services.report_resubmit, _("报告已重新提交。"))


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def report_approve(request, public_id):
    """审核通过 in two steps: GET says what approving means (works without JavaScript), POST does it."""
    if request.method == "POST":
        return _transition(request, public_id, services.report_approve, _("报告已审核通过。"))
    report = _report(request, public_id)
    return render(request, "supervision/report_approve.html", {"report": report})


@require_POST
@reviewer_required
def report_return(request, public_id):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _transition(request, public_id, services.report_return, _("报告已退回。"), reason=reason)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def item_add(request, public_id):
    """Add an item; a refused one re-renders the report page in place (400) with the values kept and
    each error next to its field. A GET (reloading that page) leads back to the report page."""
    report = _report(request, public_id)
    if request.method != "POST":
        return redirect(reverse("supervision:report_detail", args=[report.public_id]) + "#new-item")
    form = RectificationForm(request.POST, report=report)
    if form.is_valid():
        try:
            services.rectification_add(report=report, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("整改事项已添加。"))
            return redirect("supervision:report_detail", report.public_id)
    context = _detail_context(request, report, item_form=form)
    return render(request, "supervision/report_detail.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def item_correct(request, public_id, item_id):
    """更正 a recorded item with a required reason (also after approval or closing)."""
    report = _report(request, public_id)
    item = get_visible_or_404(selectors.rectifications_visible_to(request.user), public_id=item_id)
    if item.village_id != report.village_id:
        raise Http404
    form = CorrectionForm(
        request.POST if request.method == "POST" else None, instance=item, report=item.opened_in
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.CORRECTABLE_FIELDS}
        try:
            services.rectification_correct(
                item=item, user=request.user, reason=form.cleaned_data["reason"], **data
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("整改事项已更正。"))
            return redirect("supervision:report_detail", report.public_id)
    context = {
        "report": report,
        "item": item,
        "form": form,
        "corrections": selectors.item_corrections(item),
    }
    return render(request, "supervision/item_correct.html", context, status=form_status(form))


@require_POST
@editor_required
def item_close(request, public_id, item_id):
    report = _report(request, public_id)
    item = get_visible_or_404(selectors.rectifications_visible_to(request.user), public_id=item_id)
    form = CloseForm(request.POST)
    note = form.cleaned_data["closing_note"] if form.is_valid() else ""
    try:
        services.rectification_close(item=item, report=report, user=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("整改事项已销号。"))
    return redirect("supervision:report_detail", report.public_id)


@require_POST
@reviewer_required
def exception_open(request, code, period_key):
    village = get_visible_or_404(villages_visible_to(request.user), code=code)
    parsed = ReportingPeriod.parse_key(period_key)
    if parsed is None:
        raise Http404
    form = ReasonForm(request.POST)
    kind, year, number = parsed
    try:
        services.lock_exception_open(
            village=village,
            kind=kind,
            year=year,
            number=number,
            user=request.user,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已为%(village)s开放例外。") % {"village": village.name})
    target = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith(
        "/"
    )
    return redirect(target if safe else "supervision:index")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def exception_request(request, code, period_key):
    """申请开放: township staff ask the county to reopen a locked period for one of their villages.
    The county official grants or refuses it from the review queue (/review/)."""
    village = get_visible_or_404(villages_visible_to(request.user), code=code)
    period = selectors.period_from_key(period_key)
    parsed = ReportingPeriod.parse_key(period_key)
    if parsed is None:
        raise Http404
    kind, year, number = parsed
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exception_request_create(
                village=village,
                kind=kind,
                year=year,
                number=number,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已提交开放申请，等待县级审核人员审批。"))
            return redirect("supervision:exception_request", village.code, period_key)
    period = period or ReportingPeriod.build(kind, year, number)
    context = {
        "village": village,
        "period": period,
        "form": form,
        "lock_reason": services.period_lock_reason(village=village, period=period),
        "pending": selectors.open_request_for(village=village, period=period),
        "requests": list(
            selectors.exception_requests_visible_to(request.user)
            .filter(village=village, period__kind=kind, period__year=year, period__number=number)
            .select_related("decided_by")
            .order_by("-requested_at")[:10]
        ),
    }
    return render(request, "supervision/exception_request.html", context, status=form_status(form))


@require_safe
@login_required
def grid_default(request):
    """The month grid picked in the period picker (``?township=&period=2026-10``), else the month
    being collected now for the user's first township."""
    townships = townships_visible_to(request.user).filter(valid_to__isnull=True).order_by("code")
    township = townships.filter(code=request.GET.get("township") or "").first() or townships.first()
    if township is None:
        raise Http404
    raw = request.GET.get("period") or ""
    parsed = ReportingPeriod.parse_key(raw)
    if raw and parsed is None:  # a shared link with a malformed period: say so, never guess
        from governance.periods import BAD_PERIOD

        return render(request, "400.html", {"message": str(BAD_PERIOD) % {"key": raw[:40]}}, status=400)
    if parsed and parsed[0] == Kind.MONTHLY:
        year, month = parsed[1], parsed[2]
    else:
        year, month = selectors.latest_due_month(timezone.localdate())
    return redirect("supervision:grid", township.code, year, month)


@require_safe
@login_required
def grid(request, code, year, month):
    township = get_visible_or_404(townships_visible_to(request.user), code=code)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    # The township's county's due and lock dates (its own calendar when it has one).
    period = selectors.period_get(Kind.MONTHLY, year, month).for_county(township.county_id)
    today = timezone.localdate()
    rows = selectors.month_grid(township=township, period=period)
    # The dashboard's drill-down: the villages behind its 未报 / 完整率 and 及时率 figures.
    shown = "missing" if request.GET.get("missing") else "late" if request.GET.get("late") else ""
    if shown == "missing":
        rows = [row for row in rows if row.first_submitted_at is None]
    elif shown == "late":
        rows = [
            row for row in rows if row.first_submitted_at is None or row.first_submitted_at >= period.deadline
        ]
    locked = period.is_locked(today)
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    context = {
        "township": township,
        "period": period,
        "rows": rows,
        "locked": locked,
        "lock_reason": services.lock_message(village=rows[0].village, period=period)
        if locked and rows
        else "",
        "future": period.start > today,
        "may_edit": can_edit_records(request.user),
        "may_review": can_review(request.user),
        "prev": (prev_y, prev_m),
        "next": (next_y, next_m) if dt.date(next_y, next_m, 1) <= today else None,
        # The township's own county only: an admin's province is 3,100 townships (bench/README.md).
        "townships": townships_visible_to(request.user)
        .filter(valid_to__isnull=True, county_id=township.county_id)
        .order_by("code"),
        "shown": shown,
        "period_picker": PeriodSelect(kinds=(Kind.MONTHLY,)).render(
            "period", period.key, {"id": "id_period"}
        ),
    }
    return render(request, "supervision/grid.html", context)


@require_safe
@login_required
def health(request, code):
    township = get_visible_or_404(townships_visible_to(request.user), code=code)
    periods, rows = selectors.health_matrix(township=township, today=timezone.localdate())
    return render(
        request, "supervision/health.html", {"township": township, "periods": periods, "rows": rows}
    )


@require_safe
@login_required
def completeness(request):
    today = timezone.localdate()
    year, month = selectors.latest_due_month(today)
    key = request.GET.get("period") or f"{year}-{month:02d}"
    period = selectors.period_from_key(key)
    if period is None:
        picker = PeriodSelect().render("period", "", {"id": "id_period"})
        context = {"bad_period": True, "period_picker": picker}
        return render(request, "supervision/completeness.html", context, status=400)
    # Across a province an admin starts at the counties; a county's name opens its townships
    # (``?county=``). A county official (or an admin of one county) sees the townships at once.
    code = request.GET.get("county") or ""
    county = None
    if code:
        county = counties_visible_to(request.user).filter(code=code).first() if code.isdigit() else None
        if county is None:
            raise Http404
    county_rows = []
    if county is None and sees_everything(request.user):
        county_rows, total = selectors.completeness_county_table(user=request.user, period=period)
    if len(county_rows) > 1:
        rows = []
    else:
        county_rows = []
        rows, total = selectors.completeness_table(user=request.user, period=period, county=county)
    context = {
        "period": period,
        "rows": rows,
        "county_rows": county_rows,
        "county": county,
        "total": total,
        "neighbours": selectors.period_neighbours(period, today),
        "period_picker": PeriodSelect().render("period", period.key, {"id": "id_period"}),
    }
    return render(request, "supervision/completeness.html", context)
