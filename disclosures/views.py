"""五公开 staff pages: the list, drafts with finance lines, publishing, corrections, withdrawal,
and which villages have not disclosed this quarter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from disclosures import selectors, services
from disclosures.filters import DisclosureFilter
from disclosures.forms import (
    CorrectionForm,
    DisclosureForm,
    WithdrawForm,
    check_totals,
    line_formset,
)
from disclosures.models import Category, Disclosure
from governance import preview
from governance.exports import Column, export_response
from governance.forms import save_with
from governance.history import history_entries
from governance.listing import filtered_list
from governance.periods import QUARTER, BadPeriod, parse_period
from governance.permissions import EDIT_DENIED, editor_required
from governance.privacy import redact_personal
from governance.roles import Role, can_edit_records, may_write_for, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import form_status
from villages.selectors import counties_visible_to

COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda d: d.village.township.name),
    Column(_lazy("村（社区）"), lambda d: d.village.name),
    Column(_lazy("区划代码"), lambda d: d.village.code),
    Column(_lazy("公开类别"), lambda d: d.get_category_display()),
    Column(_lazy("标题"), lambda d: redact_personal(d.title)),
    Column(_lazy("公开日期"), lambda d: d.posted_on),
    Column(_lazy("所属期起"), lambda d: d.period_start),
    Column(_lazy("所属期止"), lambda d: d.period_end),
    Column(_lazy("收入合计（元）"), lambda d: d.income_total),
    Column(_lazy("支出合计（元）"), lambda d: d.expenditure_total),
    Column(_lazy("状态"), lambda d: d.get_state_display()),
    Column(_lazy("撤回原因"), lambda d: redact_personal(d.withdrawal_reason)),
]
MISSING_COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda v: v.township.name),
    Column(_lazy("村（社区）"), lambda v: v.name),
    Column(_lazy("区划代码"), lambda v: v.code),
]
FIELDS = ("category", "title", "text", "posted_on", "period_start", "period_end")


def _is_code(text: str) -> bool:
    """A 12-digit division code (anything else, NUL bytes included, never reaches a query)."""
    return len(text) == 12 and text.isascii() and text.isdigit()


def _disclosure(request, public_id) -> Disclosure:
    return get_visible_or_404(selectors.disclosure_detail_for(request.user), public_id=public_id)


def _writable(request, public_id) -> Disclosure:
    """A disclosure the user reads (404 otherwise) and writes (403 otherwise)."""
    disclosure = _disclosure(request, public_id)
    if not may_write_for(request.user, disclosure.village.township_id):
        raise PermissionDenied(EDIT_DENIED)
    return disclosure


@require_safe
@login_required
def disclosure_list(request):
    return filtered_list(
        request,
        queryset=selectors.disclosures_visible_to(request.user).order_by("-posted_on", "village__code", "pk"),
        filterset_class=DisclosureFilter,
        columns=COLUMNS,
        filename="五公开",
        template="disclosures/list.html",
        partial_template="disclosures/_table.html",
        context={
            "may_edit": can_edit_records(request.user),
            "this_quarter": selectors.quarter_of(timezone.localdate()),
        },
    )


def _form_page(request, form, formset, *, title, back, disclosure=None):
    status = 400 if form_status(form) == 400 or (formset.is_bound and not formset.is_valid()) else 200
    context = {"form": form, "formset": formset, "title": title, "back": back, "disclosure": disclosure}
    return render(request, "disclosures/form.html", context, status=status)


def _values(form, formset) -> dict:
    data = {name: form.cleaned_data[name] for name in FIELDS}
    data["income_total"] = form.cleaned_data.get("income_total")
    data["expenditure_total"] = form.cleaned_data.get("expenditure_total")
    data["lines"] = formset.lines()
    return data


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def disclosure_new(request):
    villages = selectors.writable_villages(request.user)
    initial = {}
    wanted = request.GET.get("village") or ""
    if _is_code(wanted) and villages.filter(code=wanted).exists():
        initial["village"] = wanted
    if request.GET.get("category") in Category.values:
        initial["category"] = request.GET["category"]
    post = request.POST if request.method == "POST" else None
    form = DisclosureForm(post, villages=villages, initial=initial)
    formset = line_formset(post)
    if post is not None and check_totals(form, formset):
        disclosure = save_with(
            form,
            lambda: services.disclosure_create(
                user=request.user, village=form.cleaned_data["village"], **_values(form, formset)
            ),
        )
        if disclosure is not None:
            messages.success(request, _("草稿已保存，核对后请发布。"))
            return redirect("disclosures:detail", disclosure.public_id)
    return _form_page(request, form, formset, title=_("新增公开事项"), back=reverse("disclosures:list"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def disclosure_edit(request, public_id):
    disclosure = _writable(request, public_id)
    back = reverse("disclosures:detail", args=[disclosure.public_id])
    if not disclosure.is_draft:
        messages.error(request, _(services.NOT_DRAFT) % {"state": disclosure.get_state_display()})
        return redirect(back)
    initial = {name: getattr(disclosure, name) for name in (*FIELDS, "income_total", "expenditure_total")}
    post = request.POST if request.method == "POST" else None
    form = DisclosureForm(post, record=disclosure, initial=initial)
    formset = line_formset(post, disclosure=disclosure)
    if post is not None and check_totals(form, formset):
        saved = save_with(
            form,
            lambda: services.disclosure_update(
                disclosure=disclosure,
                user=request.user,
                version=form.cleaned_data["version"],
                **_values(form, formset),
            ),
            stale_url=back,
        )
        if saved is not None:
            messages.success(request, _("草稿已保存。"))
            return redirect(back)
    title = _("修改草稿：%(title)s") % {"title": disclosure.title}
    return _form_page(request, form, formset, title=title, back=back, disclosure=disclosure)


@require_safe
@login_required
def disclosure_detail(request, public_id):
    disclosure = _disclosure(request, public_id)
    income, expenditure = selectors.split_lines(disclosure)
    context = {
        "disclosure": disclosure,
        "income": income,
        "expenditure": expenditure,
        "corrections": list(disclosure.corrections.all()),
        "may_edit": may_write_for(request.user, disclosure.village.township_id),
    }
    return render(request, "disclosures/detail.html", context)


@require_safe
@login_required
def disclosure_history(request, public_id):
    disclosure = _disclosure(request, public_id)
    context = {
        "disclosure": disclosure,
        "history": history_entries(disclosure),
        "line_history": selectors.line_history(disclosure),
    }
    return render(request, "disclosures/history.html", context)


def _summary(disclosure) -> list[tuple[str, object]]:
    rows = [
        (_("村（社区）"), f"{disclosure.village.township.name} {disclosure.village.name}"),
        (_("公开类别"), disclosure.get_category_display()),
        (_("公开日期"), disclosure.posted_on.isoformat()),
        (_("所属期"), f"{disclosure.period_start.isoformat()} — {disclosure.period_end.isoformat()}"),
    ]
    if disclosure.is_finance:
        rows += [
            (_("收入合计（元）"), services.money(disclosure.income_total or 0)),
            (_("支出合计（元）"), services.money(disclosure.expenditure_total or 0)),
        ]
    rows.append((_("当前状态"), disclosure.get_state_display()))
    return rows


def _transition(request, public_id, *, service, title, after, done, form_class=None, fields=()):
    """A disclosure's transition through its confirmation page (``governance.preview.transition``)."""
    disclosure = _writable(request, public_id)
    return preview.transition(
        request,
        service=lambda **reason: service(disclosure=disclosure, user=request.user, **reason),
        back=reverse("disclosures:detail", args=[disclosure.public_id]),
        done=done,
        page=lambda: {
            "title": title,
            "subject": disclosure.title,
            "summary": _summary(disclosure),
            "after": after,
        },
        template="disclosures/confirm.html",
        form_class=form_class,
        fields=fields,
        refresh=disclosure.refresh_from_db,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def disclosure_publish(request, public_id):
    return _transition(
        request,
        public_id,
        service=services.disclosure_publish,
        title=_("发布公开事项"),
        after=_("发布后即在村务公开栏公开（无需登录即可查看），不能再修改；如有错误，须填写原因更正或撤回。"),
        done=_("已发布到村务公开栏。"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def disclosure_withdraw(request, public_id):
    return _transition(
        request,
        public_id,
        service=services.disclosure_withdraw,
        title=_("撤回公开事项"),
        after=_("撤回后公开栏仍显示该事项，标明“已撤回”及撤回原因；本季度不再计为已公开。"),
        done=_("已撤回。"),
        form_class=WithdrawForm,
        fields=("reason",),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def disclosure_correct(request, public_id):
    disclosure = _writable(request, public_id)
    back = reverse("disclosures:detail", args=[disclosure.public_id])
    if disclosure.state != Disclosure.State.PUBLISHED:
        messages.error(request, _(services.CORRECT_WRONG_STATE) % {"state": disclosure.get_state_display()})
        return redirect(back)
    initial = {name: getattr(disclosure, name) for name in services.CORRECTABLE}
    form = CorrectionForm(request.POST or None, record=disclosure, initial=initial)
    if request.method == "POST":
        saved = save_with(
            form,
            lambda: services.disclosure_correct(
                disclosure=disclosure,
                user=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **{name: form.cleaned_data[name] for name in services.CORRECTABLE},
            ),
            stale_url=back,
        )
        if saved is not None:
            messages.success(request, _("更正已保存，公开栏显示更正后的内容和更正记录。"))
            return redirect(back)
    context = {
        "form": form,
        "title": _("更正公开事项：%(title)s") % {"title": disclosure.title},
        "back": back,
    }
    return render(request, "disclosures/correct.html", context, status=form_status(form))


@require_safe
@login_required
def missing(request):
    """Villages without a published disclosure posted in ``?quarter=`` (this quarter by default),
    of ``?category=`` (any when empty). Township staff see their township's villages; county
    officials and admins per township counts and the village list (of ``?township=`` when given)."""
    today = timezone.localdate()
    raw = (request.GET.get("quarter") or "").strip()
    try:
        period = parse_period(raw) if raw else selectors.quarter_of(today)
        if period.kind != QUARTER:
            raise BadPeriod(raw)
    except BadPeriod:
        context = {"bad_quarter": raw[:40], "categories": Category.choices}
        return render(request, "disclosures/missing.html", context, status=400)
    category = request.GET.get("category") or ""
    if category and category not in Category.values:
        raise Http404
    code = request.GET.get("township") or ""
    if request.user.role == Role.TOWNSHIP_STAFF:
        code = request.user.township.code if request.user.township_id else ""
    township = None
    if code:
        if not _is_code(code):
            raise Http404
        township = selectors.visible_township(request.user, code)
        if township is None:
            raise Http404
    # Across a province an admin starts at the counties (``county_rows``); a county's name opens its
    # townships (``?county=``), a township's count its villages. The export holds every village.
    county = None
    county_code = request.GET.get("county") or ""
    if county_code and township is None and request.user.role != Role.TOWNSHIP_STAFF:
        county = (
            counties_visible_to(request.user).filter(code=county_code).first()
            if _is_code(county_code)
            else None
        )
        if county is None:
            raise Http404
    villages = selectors.missing_villages(
        request.user, period=period, category=category, township=township, county=county
    )
    name = "未公开村" + (f"-{(township or county).name}" if township or county else "") + f"-{period.key}"
    exported = export_response(request, villages, columns=MISSING_COLUMNS, filename=name)
    if exported is not None:
        return exported
    rows, county_rows = [], []
    if township is None and county is None and sees_everything(request.user):
        county_rows = selectors.coverage_by_county(request.user, period=period, category=category)
    if township is None and len(county_rows) <= 1:
        county_rows = []
        rows = selectors.coverage_by_township(request.user, period=period, category=category, county=county)
    villages_wait = township is None and county is None and sees_everything(request.user)
    context = {
        "period": period,
        "category": category,
        "category_label": dict(Category.choices).get(category, ""),
        "categories": Category.choices,
        "township": township,
        "county": county,
        # Across a province (26,000 villages) the list waits for a county or township: the tables
        # above link each count to its villages, and the export holds every village.
        "villages": [] if villages_wait else list(villages),
        "villages_wait": villages_wait,
        "rows": rows,
        "county_rows": county_rows,
        "quarters": [selectors.quarter_of(today).shifted(-k) for k in range(6)],
        "may_go_up": request.user.role != Role.TOWNSHIP_STAFF,
        "querystring": f"quarter={period.key}&category={category}"
        + (f"&township={township.code}" if township else "")
        + (f"&county={county.code}" if county else ""),
        "may_edit": can_edit_records(request.user),
    }
    return render(request, "disclosures/missing.html", context)
