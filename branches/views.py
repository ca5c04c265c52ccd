"""Pages of the branch register (/branches/). Every view: decorators (login, method, editor for
writes) → scoped selector (404 outside jurisdiction; 403 for a reader who is not the owner
township) → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from branches import rules, services
from branches.columns import BRANCH_COLUMNS, season_label
from branches.filters import BranchFilter
from branches.forms import BranchEndForm, BranchForm, EnterpriseForm
from branches.selectors import (
    branches_visible_to,
    flagged_by_township,
    may_edit,
    summary_by_township,
    with_links,
)
from cadres.selectors import annotate_branch_rules, branch_rule_issues
from governance.forms import apply_errors, save_with
from governance.history import history_entries
from governance.hooks import render_panels
from governance.listing import filtered_list
from governance.permissions import editor_required
from governance.preview import dry_run
from governance.roles import sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale
from villages.models import PartyBranch
from villages.selectors import counties_visible_to


def _save(form, call, *, stale_url: str = ""):
    """Run a service with the valid form; on a rule violation put it on the form, return None."""
    return save_with(form, call, stale_url=stale_url)


def _form_page(request, form, *, title, back, template="branches/form.html", **extra):
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, template, context, status=form_status(form))


def _editable_branch(request, public_id) -> PartyBranch:
    """The branch for a write: 404 if the user cannot read it, 403 if they read but do not own it."""
    branch = get_visible_or_404(branches_visible_to(request.user), public_id=public_id)
    if not may_edit(request.user, branch):
        raise PermissionDenied(services.NOT_OWNER)
    return branch


@require_safe
@login_required
def branch_list(request):
    """/branches/: every branch the user reads, with its derived members and rule flags."""
    today = timezone.localdate()
    queryset = with_links(annotate_branch_rules(branches_visible_to(request.user), on=today)).order_by(
        "township__code", "kind", "name", "pk"
    )
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=BranchFilter,
        columns=BRANCH_COLUMNS,
        filename="党组织名录",
        template="branches/branch_list.html",
        partial_template="branches/_branch_table.html",
        context={"today": today},
    )


@require_safe
@login_required
def branch_detail(request, public_id):
    today = timezone.localdate()
    branch = get_visible_or_404(
        with_links(annotate_branch_rules(branches_visible_to(request.user), on=today)), public_id=public_id
    )
    context = {
        "branch": branch,
        "season": season_label(branch),
        "active_now": rules.active_on(branch, today),
        "issues": branch_rule_issues(branch, on=today) if not branch.rules_ok else [],
        "may_edit": may_edit(request.user, branch),
        "panels": render_panels("branch_panel", branch=branch, user=request.user),
        "history": history_entries(branch),
    }
    return render(request, "branches/branch_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def branch_create(request):
    form = BranchForm(request.POST or None, user=request.user)
    if request.method == "POST":
        branch = _save(
            form,
            lambda: services.branch_create(
                user=request.user, township=request.user.township, **form.service_kwargs()
            ),
        )
        if branch is not None:
            messages.success(request, _("已登记党组织。"))
            return redirect("branches:branch_detail", public_id=branch.public_id)
    return _form_page(request, form, title=_("登记党组织"), back=reverse("branches:branch_list"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def branch_edit(request, public_id):
    branch = _editable_branch(request, public_id)
    detail = reverse("branches:branch_detail", args=[branch.public_id])
    form = BranchForm(request.POST or None, user=request.user, branch=branch)
    if request.method == "POST":
        saved = _save(
            form,
            lambda: services.branch_update(user=request.user, branch=branch, **form.service_kwargs()),
            stale_url=detail,
        )
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(detail)
    return _form_page(request, form, title=_("修改党组织：%(name)s") % {"name": branch.name}, back=detail)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def branch_end(request, public_id):
    """撤销 a branch: the form, then a confirmation page (it cannot be undone), then the record."""
    branch = _editable_branch(request, public_id)
    detail = reverse("branches:branch_detail", args=[branch.public_id])
    form = BranchEndForm(request.POST or None, record=branch)
    title = _("撤销党组织：%(name)s") % {"name": branch.name}
    if request.method == "POST" and request.POST.get("revise") != "1" and form.is_valid():

        def call():
            return services.branch_end(
                user=request.user,
                branch=branch,
                end_date=form.cleaned_data["end_date"],
                version=form.cleaned_data["version"],
            )

        if request.POST.get("confirmed") == "1":
            if _save(form, call, stale_url=detail) is not None:
                messages.success(request, _("已撤销党组织。"))
                return redirect(detail)
        else:
            try:
                dry_run(call)
            except StaleRecord as exc:
                show_stale(form, exc, url=detail)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(
                    request,
                    "branches/end_confirm.html",
                    {"form": form, "branch": branch, "title": title, "back": detail},
                )
    return _form_page(request, form, title=title, back=detail, submit=_("撤销"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST":
        enterprise = _save(
            form,
            lambda: services.enterprise_create(
                user=request.user,
                name=form.cleaned_data["name"],
                credit_code=form.cleaned_data["credit_code"],
            ),
        )
        if enterprise is not None:
            messages.success(request, _("已登记企业：%(name)s。") % {"name": enterprise.name})
            return redirect(reverse("branches:branch_create"))
    return _form_page(request, form, title=_("登记企业"), back=reverse("branches:branch_list"))


@require_safe
@login_required
def summary(request):
    """/branches/summary/: branches by kind per owner township, and the village branches whose
    committees break the rules; every figure links to the filtered register."""
    today = timezone.localdate()
    # An admin across a province (3,000 townships) first sees the counties; a county's name opens
    # its townships (``?county=``). One county's officials and staff see their townships as ever.
    counties = counties_visible_to(request.user)
    admin_levels = sees_everything(request.user) and counties.count() > 1
    county = None
    if admin_levels and request.GET.get("county"):
        county = get_visible_or_404(counties, code=request.GET["county"])
    kinds = PartyBranch.Kind.choices
    by_county = admin_levels and county is None
    # Plain rows, not model instances: an admin's province has 3,111 townships to add up.
    townships = summary_by_township(request.user, on=today, county=county).values(
        "pk",
        "code",
        "name",
        "county_id",
        "county__code",
        "county__name",
        "total",
        *[f"kind_{v}" for v, _l in kinds],
    )
    flagged = flagged_by_township(request.user, on=today, county=county)
    by_unit: dict[int, dict] = {}
    totals = {value: 0 for value, _label in kinds}
    total_all = total_flagged = 0
    for township in townships:
        if by_county:
            unit = {
                "pk": township["county_id"],
                "code": township["county__code"],
                "name": township["county__name"],
            }
        else:
            unit = {"pk": township["pk"], "code": township["code"], "name": township["name"]}
        row = by_unit.setdefault(
            unit["pk"], {"unit": unit, "counts": dict.fromkeys(totals, 0), "total": 0, "flagged": 0}
        )
        for value, _label in kinds:
            n = township[f"kind_{value}"]
            row["counts"][value] += n
            totals[value] += n
        row["total"] += township["total"]
        row["flagged"] += flagged.get(township["pk"], 0)
        total_all += township["total"]
        total_flagged += flagged.get(township["pk"], 0)
    rows = sorted(by_unit.values(), key=lambda row: row["unit"]["code"])
    for row in rows:
        row["counts"] = list(row["counts"].items())
    context = {
        "kinds": kinds,
        "rows": rows,
        "level": "county" if by_county else "township",
        "county": county,
        "unit_param": "county" if by_county else "township",
        # The footer's figures: the chosen county's (``county=``) or everything the user reads.
        "scope_query": f"county={county.code}&" if county else "",
        "totals": [(value, totals[value]) for value, _label in kinds],
        "total_all": total_all,
        "total_flagged": total_flagged,
        "today": today,
    }
    return render(request, "branches/summary.html", context)
