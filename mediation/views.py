"""人民调解 pages: village committees, the dispute log, a dispute's page (follow-ups, closing,
corrections, history) and the township/county summary."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from governance import preview
from governance.exports import Column, export_response
from governance.fields import parse_year
from governance.forms import apply_errors, save_with
from governance.history import history_entries
from governance.listing import filtered_list
from governance.permissions import EDIT_DENIED, editor_required
from governance.preview import dry_run
from governance.privacy import redact_personal
from governance.roles import can_edit_records, may_write_for, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import form_status
from mediation import selectors, services
from mediation.filters import CommitteeFilter, DisputeFilter
from mediation.forms import (
    CorrectionForm,
    DisputeForm,
    FollowUpForm,
    MemberEndForm,
    MemberForm,
    OutcomeForm,
)
from mediation.models import Category, Committee, Outcome
from villages.selectors import villages_visible_to

DISPUTE_COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda d: d.village.township.name),
    Column(_lazy("村（社区）"), lambda d: d.village.name),
    Column(_lazy("区划代码"), lambda d: d.village.code),
    Column(_lazy("受理日期"), lambda d: d.received_on),
    # Names only (the services refuse anything else); redacted again as a second line of defence.
    Column(_lazy("当事人"), lambda d: redact_personal(d.parties)),
    Column(_lazy("纠纷类别"), lambda d: d.get_category_display()),
    Column(_lazy("纠纷概要"), lambda d: redact_personal(d.summary)),
    Column(_lazy("调解员"), lambda d: d.mediator.person.name),
    Column(_lazy("调解结果"), lambda d: d.get_outcome_display()),
    Column(_lazy("达成协议日期"), lambda d: d.agreement_on),
    Column(_lazy("移送单位"), lambda d: redact_personal(d.referred_to)),
    Column(_lazy("办结日期"), lambda d: d.closed_on),
]
COMMITTEE_COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda v: v.township.name),
    Column(_lazy("村（社区）"), lambda v: v.name),
    Column(_lazy("区划代码"), lambda v: v.code),
    Column(_lazy("主任"), lambda v: v.chair_name or ""),
    Column(_lazy("现任成员数"), lambda v: v.member_count),
    Column(_lazy("调解中的纠纷"), lambda v: v.open_count),
]


# ---------------------------------------------------------------- start


@require_safe
@login_required
def index(request):
    disputes = selectors.disputes_visible_to(request.user)
    context = {
        "open_count": disputes.filter(outcome=Outcome.OPEN).count(),
        "old_count": disputes.filter(selectors.old_open_q()).count(),
        "year": timezone.localdate().year,
        "may_edit": can_edit_records(request.user),
    }
    return render(request, "mediation/index.html", context)


# ---------------------------------------------------------------- committees


@require_safe
@login_required
def committee_list(request):
    """Every current village in scope with its committee's chair and members."""
    return filtered_list(
        request,
        queryset=selectors.village_committees(request.user),
        filterset_class=CommitteeFilter,
        columns=COMMITTEE_COLUMNS,
        filename="人民调解委员会",
        template="mediation/committee_list.html",
        partial_template="mediation/_committee_table.html",
    )


def _village(request, code):
    return get_visible_or_404(villages_visible_to(request.user).select_related("township"), code=code)


def _committee_page(request, village, *, form=None, status=200):
    may_edit = may_write_for(request.user, village.township_id)
    if may_edit and form is None:
        form = MemberForm(people=selectors.candidates_for(request.user, village))
    current, former = selectors.committee_members(village)
    committee = Committee.objects.filter(village=village).first()
    context = {
        "village": village,
        "current": current,
        "former": former,
        "may_edit": may_edit,
        "form": form,
        "end_form": MemberEndForm(initial={"end_date": timezone.localdate()}),
        "history": history_entries(*([committee] if committee else []), *current, *former),
        "open_count": village.disputes.filter(outcome=Outcome.OPEN).count(),
    }
    return render(request, "mediation/committee.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def committee(request, code):
    """A village's committee: current and former members, the chair; its township's staff add
    members (POST)."""
    village = _village(request, code)
    if request.method != "POST":
        return _committee_page(request, village)
    if not may_write_for(request.user, village.township_id):
        raise PermissionDenied(EDIT_DENIED)
    form = MemberForm(request.POST, people=selectors.candidates_for(request.user, village))
    member = save_with(
        form, lambda: services.member_add(village=village, user=request.user, **form.cleaned_data)
    )
    if member is not None:
        messages.success(request, _("已将%(name)s加入调解委员会。") % {"name": member.person.name})
        return redirect("mediation:committee", village.code)
    return _committee_page(request, village, form=form, status=400)


def _member(request, public_id):
    return get_visible_or_404(selectors.members_visible_to(request.user), public_id=public_id)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_chair(request, public_id):
    """Make a current member the chair (POST); a reload lands on the committee page."""
    member = _member(request, public_id)
    back = reverse("mediation:committee", args=[member.committee.village.code])
    if request.method == "POST":
        try:
            services.chair_set(member=member, user=request.user)
        except ValidationError as exc:
            messages.error(request, preview.error_text(exc))
        else:
            messages.success(request, _("%(name)s已任调解委员会主任。") % {"name": member.person.name})
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_end(request, public_id):
    """A member leaves the committee on a date (a form page; POST from the committee page too)."""
    member = _member(request, public_id)
    back = reverse("mediation:committee", args=[member.committee.village.code])
    form = MemberEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and save_with(
        form, lambda: services.member_end(member=member, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("%(name)s已离任。") % {"name": member.person.name})
        return redirect(back)
    title = _("成员离任：%(name)s") % {"name": member.person.name}
    return _form_page(request, form, title=title, back=back)


def _form_page(request, form, *, title, back, submit=None, extra=None):
    context = {"form": form, "title": title, "back": back, "submit": submit or _("保存"), **(extra or {})}
    return render(request, "mediation/form.html", context, status=form_status(form))


# ---------------------------------------------------------------- disputes


@require_safe
@login_required
def dispute_list(request):
    return filtered_list(
        request,
        queryset=selectors.disputes_visible_to(request.user).order_by("-received_on", "-pk"),
        filterset_class=DisputeFilter,
        columns=DISPUTE_COLUMNS,
        filename="矛盾纠纷台账",
        template="mediation/dispute_list.html",
        partial_template="mediation/_dispute_table.html",
        context={"may_edit": can_edit_records(request.user)},
    )


def _dispute(request, public_id, *, detail=False):
    queryset = (
        selectors.dispute_detail_for(request.user) if detail else selectors.disputes_visible_to(request.user)
    )
    return get_visible_or_404(queryset, public_id=public_id)


def _dispute_fields(form) -> dict:
    return {k: form.cleaned_data[k] for k in ("received_on", "parties", "category", "summary", "mediator")}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def dispute_new(request):
    villages = villages_visible_to(request.user).filter(valid_to__isnull=True).order_by("code")
    initial = {"received_on": timezone.localdate()}
    code = request.GET.get("village", "")
    if code.isascii() and code.isdigit() and len(code) == 12 and villages.filter(code=code).exists():
        initial["village"] = code
    form = DisputeForm(
        request.POST or None,
        villages=villages,
        mediators=selectors.mediators_for(request.user),
        initial=initial,
    )
    dispute = request.method == "POST" and save_with(
        form,
        lambda: services.dispute_create(
            village=form.cleaned_data["village"], user=request.user, **_dispute_fields(form)
        ),
    )
    if dispute:
        messages.success(request, _("纠纷已登记。"))
        return redirect("mediation:dispute_detail", dispute.public_id)
    return _form_page(request, form, title=_("登记矛盾纠纷"), back=reverse("mediation:dispute_list"))


def _dispute_page(request, dispute, *, follow_up_form=None, status=200):
    may_edit = may_write_for(request.user, dispute.village.township_id)
    context = {
        "dispute": dispute,
        "may_edit": may_edit,
        "follow_up_form": follow_up_form or (FollowUpForm() if may_edit else None),
        "corrections": dispute.corrections.select_related("corrected_by"),
        "history": history_entries(dispute),
        "is_old": selectors.is_old_open(dispute),
    }
    return render(request, "mediation/dispute_detail.html", context, status=status)


@require_safe
@login_required
def dispute_detail(request, public_id):
    return _dispute_page(request, _dispute(request, public_id, detail=True))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def dispute_edit(request, public_id):
    dispute = _dispute(request, public_id)
    back = reverse("mediation:dispute_detail", args=[dispute.public_id])
    if not dispute.is_open:
        messages.error(request, _(services.DISPUTE_CLOSED))
        return redirect(back)
    initial = {
        "received_on": dispute.received_on,
        "parties": dispute.parties,
        "category": dispute.category,
        "summary": dispute.summary,
        "mediator": dispute.mediator.public_id,
    }
    form = DisputeForm(
        request.POST or None,
        record=dispute,
        initial=initial,
        mediators=selectors.mediators_for(request.user, village=dispute.village)
        | selectors.members_visible_to(request.user).filter(pk=dispute.mediator_id),
    )
    if request.method == "POST" and save_with(
        form,
        lambda: services.dispute_update(
            dispute=dispute, user=request.user, version=form.cleaned_data["version"], **_dispute_fields(form)
        ),
        stale_url=back,
    ):
        messages.success(request, _("纠纷已保存。"))
        return redirect(back)
    return _form_page(request, form, title=_("修改纠纷：%(d)s") % {"d": dispute}, back=back)


def _outcome_summary(dispute) -> list[tuple[str, object]]:
    return [
        (_("村（社区）"), dispute.village.name),
        (_("受理日期"), dispute.received_on),
        (_("当事人"), dispute.parties),
        (_("纠纷类别"), dispute.get_category_display()),
        (_("调解员"), dispute.mediator.person.name),
    ]


def _outcome_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "outcome": data["outcome"],
        "closed_on": data["closed_on"],
        "agreement_on": data.get("agreement_on"),
        "referred_to": data.get("referred_to") or "",
    }


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def dispute_close(request, public_id):
    """Close an open dispute: the outcome form, then a confirmation page saying what will be
    recorded (from a dry run of the service), then 确认办理."""
    dispute = _dispute(request, public_id)
    back = reverse("mediation:dispute_detail", args=[dispute.public_id])
    if not dispute.is_open and request.method != "POST":
        messages.error(request, _(services.DISPUTE_CLOSED))
        return redirect(back)
    initial = {"closed_on": timezone.localdate()}
    form = OutcomeForm(request.POST if request.method == "POST" else None, dispute=dispute, initial=initial)
    if form.is_bound and form.is_valid():
        call = lambda: services.dispute_close(dispute=dispute, user=request.user, **_outcome_kwargs(form))  # noqa: E731
        try:
            if preview.confirmed(request):
                call()
                messages.success(request, _("纠纷已办结。"))
                return redirect(back)
            dry_run(call)
        except ValidationError as exc:
            apply_errors(form, exc)
        dispute.refresh_from_db()
    context = {
        "title": _("办结纠纷"),
        "subject": str(dispute),
        "summary": _outcome_summary(dispute),
        "after": _("办结后不能再修改；结果有误时用“更正”并写明原因。"),
        "action": request.path,
        "back": back,
        "form": form,
    }
    return render(request, "mediation/confirm.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def dispute_correct(request, public_id):
    """Correct a closed dispute's outcome with a required reason (governance/corrections.py)."""
    dispute = _dispute(request, public_id)
    back = reverse("mediation:dispute_detail", args=[dispute.public_id])
    if dispute.is_open:
        messages.error(request, _(services.DISPUTE_OPEN))
        return redirect(back)
    initial = {
        "outcome": dispute.outcome,
        "closed_on": dispute.closed_on,
        "agreement_on": dispute.agreement_on,
        "referred_to": dispute.referred_to,
    }
    form = CorrectionForm(request.POST or None, dispute=dispute, initial=initial)
    if request.method == "POST" and save_with(
        form,
        lambda: services.dispute_correct(
            dispute=dispute, user=request.user, reason=form.cleaned_data["reason"], **_outcome_kwargs(form)
        ),
    ):
        messages.success(request, _("已更正，原因已记录。"))
        return redirect(back)
    extra = {"corrections": dispute.corrections.select_related("corrected_by")}
    return _form_page(request, form, title=_("更正办结结果：%(d)s") % {"d": dispute}, back=back, extra=extra)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def follow_up_add(request, public_id):
    """Record a follow-up visit (POST from the dispute's page); a reload lands on the page."""
    dispute = _dispute(request, public_id, detail=True)
    if request.method != "POST":
        return redirect("mediation:dispute_detail", dispute.public_id)
    form = FollowUpForm(request.POST)
    if save_with(
        form, lambda: services.follow_up_add(dispute=dispute, user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("回访已记录。"))
        return redirect("mediation:dispute_detail", dispute.public_id)
    return _dispute_page(request, dispute, follow_up_form=form, status=400)


# ---------------------------------------------------------------- summary


@require_safe
@login_required
def summary(request):
    """Disputes received in ``?year=`` per township and county: by category and outcome, the
    resolution rate and those open for more than 30 days; each figure links to the dispute log
    filtered to exactly those rows."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year")
    year = parse_year(raw) if raw else this_year
    years = selectors.dispute_years(request.user)
    if year is None:
        context = {"bad_year": True, "years": sorted({*years, this_year}, reverse=True)}
        return render(request, "mediation/summary.html", context, status=400)
    # Across a province (3,000 townships) the page lists the counties; a county's name opens its
    # townships (``?county=``). The export holds every row.
    county = request.GET.get("county") or ""
    first_level = sees_everything(request.user) and not request.GET.get("export")
    totals = selectors.summary_by_county(request.user, year=year) if first_level else None
    many_counties = totals is not None and len(totals) > 1
    if many_counties:
        chosen = next((row.unit for row in totals if row.unit.code == county), None)
        rows = selectors.summary_by_township(request.user, year=year, county=chosen)[0] if chosen else []
    else:
        rows, totals = selectors.summary_by_township(request.user, year=year)
    columns = [
        Column(_lazy("单位"), lambda r: r.unit.name),
        Column(_lazy("受理"), lambda r: r.total),
        *[Column(c.label, lambda r, c=c: r.categories.get(c.value, 0)) for c in Category],
        *[Column(o.label, lambda r, o=o: r.outcomes.get(o.value, 0)) for o in Outcome],
        Column(_lazy("化解率（%）"), lambda r: r.rate),
        Column(_lazy("调解中超过30天"), lambda r: r.old_open),
    ]
    for row in rows:
        row.query = urlencode({"year": year, "township": row.unit.code})
    for row in totals:
        row.query = urlencode({"year": year, "county": row.unit.code})
    exported = export_response(request, [*rows, *totals], columns=columns, filename=f"矛盾纠纷统计-{year}")
    if exported is not None:
        return exported
    context = {
        "year": year,
        "years": sorted({*years, this_year, year}, reverse=True),
        "rows": rows,
        "totals": totals,
        "categories": list(Category),
        "outcomes": list(Outcome),
        "many_counties": many_counties,
        "county": county,
    }
    return render(request, "mediation/summary.html", context)
