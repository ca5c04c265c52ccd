"""Member pages ([7/10]): the member list, joining, transfer, leaving and duty posts, and the duty
kinds list. Writes are for the staff of the township that owns the branch (others get 404 for a
branch they cannot read, 403 for one they read but do not own); irreversible actions (transfer,
leaving) show a confirmation page built from a dry run of the service first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cadres import membership as ms
from cadres.membership_forms import (
    MEMBER_COLUMNS,
    DutyForm,
    DutyKindForm,
    LeaveForm,
    MemberFilter,
    RegisterForm,
    TransferForm,
)
from cadres.models import DutyKind, LeaveKind
from cadres.selectors import with_duty_this_year
from cadres.views import _confirm_page, _confirm_step, _dry_run, _form_page, _save
from governance.listing import filtered_list
from governance.permissions import editor_required
from governance.roles import can_review, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import form_status
from villages.selectors import branches_visible_to, may_edit_branch

DUTY_KINDS_DENIED = gettext_lazy("只有县级审核人员和系统管理员可以维护党员岗位类型。")


def branch_url(branch) -> str:
    """The branch's page (the branches app), or the member list of the branch without it."""
    try:
        return reverse("branches:branch_detail", args=[branch.public_id])
    except NoReverseMatch:
        return f"{reverse('cadres:member_list')}?branch={branch.public_id}"


# Members of a branch are recorded by the staff of the township that owns it (villages' rule).
may_edit_members = may_edit_branch


def _own_membership(request, public_id):
    return get_visible_or_404(ms.memberships_visible_to(request.user), public_id=public_id)


@require_safe
@login_required
def member_list(request):
    """/cadres/members/: party members by branch, with status, transfers and this year's duty post."""
    today = timezone.localdate()
    visible = ms.with_person_visible(ms.memberships_visible_to(request.user), request.user)
    queryset = with_duty_this_year(visible, today.year).order_by(
        "branch__township__code", "branch__name", "left_on", "person__name", "pk"
    )
    return filtered_list(
        request,
        queryset=queryset,
        filterset_class=MemberFilter,
        columns=MEMBER_COLUMNS,
        filename="党员名册",
        template="cadres/members/member_list.html",
        partial_template="cadres/members/_member_table.html",
        context={"today": today},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_register(request, public_id):
    """A full member joins the branch (建档登记, or 转入 from outside the county)."""
    branch = get_visible_or_404(
        branches_visible_to(request.user),
        public_id=public_id,
    )
    form = RegisterForm(request.POST or None, user=request.user)
    back = branch_url(branch)
    if request.method == "POST" and _save(form, lambda data: ms.membership_register(branch=branch, **data)):
        messages.success(request, _("已登记党员。"))
        return redirect(back)
    return _form_page(request, form, title=_("登记党员：%(branch)s") % {"branch": branch.name}, back=back)


def _action(request, *, membership, form, call, title, after_text, url_name):
    """Transfer and leave: form → confirmation page (dry run) → saved, back to the branch."""
    back = branch_url(membership.branch)
    confirmed, revise = _confirm_step(request)
    if request.method == "POST" and not revise:
        if not confirmed and form.is_valid():
            outcome = _dry_run(form, call, lambda: after_text(form.cleaned_data))
            membership.refresh_from_db()
            if outcome is not None:
                url = reverse(url_name, args=[membership.public_id])
                return _confirm_page(
                    request,
                    form,
                    title=title,
                    subject=membership.person.name,
                    action=url,
                    after=outcome,
                    back=back,
                )
        elif confirmed and _save(form, call):
            messages.success(request, _("已办理：%(action)s。") % {"action": title})
            return redirect(back)
    return render(
        request,
        "cadres/form.html",
        {"form": form, "title": title, "back": back, "submit": _("下一步")},
        status=form_status(form),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_transfer(request, public_id):
    membership = _own_membership(request, public_id)
    form = TransferForm(request.POST or None, membership=membership)
    title = _("组织关系转接：%(name)s") % {"name": membership.person.name}

    def after(data):
        return _("%(name)s自%(date)s起从%(old)s转出，同日转入%(new)s。") % {
            "name": membership.person.name,
            "date": data["on"].isoformat(),
            "old": membership.branch.name,
            "new": data["to_branch"].name,
        }

    return _action(
        request,
        membership=membership,
        form=form,
        call=lambda data: ms.membership_transfer(membership=membership, **data),
        title=title,
        after_text=after,
        url_name="cadres:member_transfer",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_leave(request, public_id):
    membership = _own_membership(request, public_id)
    form = LeaveForm(request.POST or None)
    title = _("办理离开：%(name)s") % {"name": membership.person.name}

    def after(data):
        return _("%(name)s自%(date)s起不再是%(branch)s党员（%(how)s）。") % {
            "name": membership.person.name,
            "date": data["on"].isoformat(),
            "branch": membership.branch.name,
            "how": LeaveKind(data["how"]).label,
        }

    return _action(
        request,
        membership=membership,
        form=form,
        call=lambda data: ms.membership_leave(membership=membership, **data),
        title=title,
        after_text=after,
        url_name="cadres:member_leave",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def member_duty(request, public_id):
    """无职党员设岗定责: a yearly duty post with a note for a member without an office."""
    membership = _own_membership(request, public_id)
    today = timezone.localdate()
    form = DutyForm(request.POST or None, initial={"year": today.year, "assigned_on": today})
    back = branch_url(membership.branch)
    if request.method == "POST" and _save(form, lambda data: ms.duty_assign(membership=membership, **data)):
        messages.success(request, _("已设岗：%(name)s。") % {"name": membership.person.name})
        return redirect(back)
    title = _("设岗定责：%(name)s") % {"name": membership.person.name}
    return _form_page(request, form, title=title, back=back)


# ---------------------------------------------------------------- duty kinds (county officials, admins)


def _may_edit_duty_kinds(user) -> bool:
    return can_review(user) or sees_everything(user)


@require_safe
@login_required
def duty_kind_list(request):
    context = {"kinds": DutyKind.objects.all(), "may_edit": _may_edit_duty_kinds(request.user)}
    return render(request, "cadres/members/duty_kind_list.html", context)


def _require_duty_kind_editor(request) -> None:
    if not _may_edit_duty_kinds(request.user):
        raise PermissionDenied(DUTY_KINDS_DENIED)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def duty_kind_create(request):
    _require_duty_kind_editor(request)
    form = DutyKindForm(request.POST or None)
    back = reverse("cadres:duty_kind_list")
    if request.method == "POST" and _save(form, lambda data: ms.duty_kind_create(**data)):
        messages.success(request, _("已保存。"))
        return redirect(back)
    return _form_page(request, form, title=_("新增党员岗位类型"), back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def duty_kind_edit(request, public_id):
    _require_duty_kind_editor(request)
    kind = get_visible_or_404(DutyKind.objects.all(), public_id=public_id)
    form = DutyKindForm(request.POST or None, instance=kind)
    back = reverse("cadres:duty_kind_list")
    update = lambda data: ms.duty_kind_update(kind=kind, **data)  # noqa: E731
    if request.method == "POST" and _save(form, update, stale_url=back):
        messages.success(request, _("已保存。"))
        return redirect(back)
    return _form_page(request, form, title=_("修改党员岗位类型：%(name)s") % {"name": kind.name}, back=back)
