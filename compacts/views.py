"""Village compact pages: the list of villages (with "revised since"), a village's versions, a new
version, a version's page (attachments, corrections, history)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from compacts import selectors, services
from compacts.filters import VillageCompactFilter
from compacts.forms import AttachmentForm, CorrectionForm, VersionForm
from compacts.models import Kind
from governance.attachments import download_response
from governance.exports import Column, export_response
from governance.forms import apply_errors
from governance.history import history_entries
from governance.listing import list_context, render_list
from governance.permissions import EDIT_DENIED, editor_required
from governance.roles import may_write_for
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale


def _columns(since) -> list[Column]:
    columns = [
        Column(_lazy("乡镇（街道）"), lambda v: v.township.name),
        Column(_lazy("村（社区）"), lambda v: v.name),
        Column(_lazy("区划代码"), lambda v: v.code),
        Column(_lazy("现行村规民约通过日期"), lambda v: v.rules_on),
        Column(_lazy("现行文明公约通过日期"), lambda v: v.civility_on),
    ]
    if since is not None:
        columns.append(
            Column(
                _lazy("%(date)s以来修订") % {"date": f"{since:%Y-%m-%d}"},
                lambda v: v.revised_on is not None,
            )
        )
    return columns


@require_safe
@login_required
def village_list(request):
    """Villages in scope with the dates of their current 村规民约 and 文明公约; ``?since=`` (and
    ``kind``) asks which villages revised theirs since a date, ``status`` keeps one side; the counts
    at the top cover the township chosen, both sides."""
    filterset = VillageCompactFilter(
        request.GET, queryset=selectors.village_compacts(request.user), request=request
    )
    valid = filterset.is_valid()
    data = filterset.form.cleaned_data if valid else {}
    since, kind, township = data.get("since"), data.get("kind") or None, data.get("township")
    base = selectors.village_compacts(request.user, since=since, kind=kind)
    if township is not None:
        base = base.filter(township=township)
    objects = filterset.filter_queryset(base).order_by("township__code", "code") if valid else base.none()
    exported = export_response(request, objects, columns=_columns(since), filename="村规民约和文明公约")
    if exported is not None:
        return exported
    context = {
        **list_context(request, filterset=filterset, objects=objects),
        "counts": selectors.counts(base) if valid else None,
        "since": since,
        "kind_label": Kind(kind).label if kind else "",
    }
    return render_list(
        request,
        context,
        template="compacts/village_list.html",
        partial_template="compacts/_village_table.html",
    )


def _village(request, code):
    return get_visible_or_404(selectors.villages_visible_to(request.user), code=code)


@require_safe
@login_required
def village_versions(request, code):
    """A village's versions: the current one of each kind first, earlier ones below (just the texts)."""
    village = _village(request, code)
    context = {
        "village": village,
        "groups": selectors.versions_by_kind(village),
        "may_edit": may_write_for(request.user, village.township_id),
    }
    return render(request, "compacts/village.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def version_new(request, code):
    village = _village(request, code)
    if not may_write_for(request.user, village.township_id):
        raise PermissionDenied(EDIT_DENIED)
    matters = selectors.adopting_matters(village)
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.RULES}
    form = VersionForm(request.POST or None, request.FILES or None, matters=matters, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create(
                village=village,
                user=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                adopted_on=form.cleaned_data["adopted_on"],
                matter=form.cleaned_data["matter"],
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已记录%(village)s新版%(kind)s，自%(date)s起为现行版本。")
                % {
                    "village": village.name,
                    "kind": version.get_kind_display(),
                    "date": f"{version.adopted_on:%Y-%m-%d}",
                },
            )
            return redirect("compacts:version_detail", version.public_id)
    context = {
        "form": form,
        "village": village,
        "title": _("录入新版本：%(village)s") % {"village": village.name},
        "back": reverse("compacts:village", args=[village.code]),
        "multipart": True,
        "submit": _("保存"),
    }
    return render(request, "compacts/form.html", context, status=form_status(form))


def _version(request, public_id):
    return get_visible_or_404(selectors.version_detail_for(request.user), public_id=public_id)


def _version_page(request, version, *, attachment_form=None, status=200):
    current = selectors.current_versions(version.village).get(version.kind)
    context = {
        "version": version,
        "is_current": current is not None and current.pk == version.pk,
        "may_edit": may_write_for(request.user, version.village.township_id),
        "attachment_form": attachment_form or AttachmentForm(),
        "corrections": list(version.corrections.all()),
        "history": history_entries(version),
    }
    return render(request, "compacts/version_detail.html", context, status=status)


@require_safe
@login_required
def version_detail(request, public_id):
    return _version_page(request, _version(request, public_id))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def version_correct(request, public_id):
    version = _version(request, public_id)
    if not may_write_for(request.user, version.village.township_id):
        raise PermissionDenied(EDIT_DENIED)
    back = reverse("compacts:version_detail", args=[version.public_id])
    initial = {"adopted_on": version.adopted_on, "text": version.text}
    form = CorrectionForm(request.POST or None, record=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_correct(
                version=version,
                user=request.user,
                record_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                adopted_on=form.cleaned_data["adopted_on"],
                reason=form.cleaned_data["reason"],
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已更正。"))
            return redirect(back)
    context = {
        "form": form,
        "village": version.village,
        "title": _("更正：%(version)s") % {"version": version},
        "back": back,
        "submit": _("保存更正"),
    }
    return render(request, "compacts/form.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def version_attach(request, public_id):
    version = _version(request, public_id)
    if request.method != "POST":
        return redirect("compacts:version_detail", version.public_id)
    if not may_write_for(request.user, version.village.township_id):
        raise PermissionDenied(EDIT_DENIED)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.version_attach(
                version=version,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("附件已上传。"))
            return redirect("compacts:version_detail", version.public_id)
    return _version_page(request, version, attachment_form=form, status=400)


@require_safe
@login_required
def attachment_download(request, public_id, attachment_id):
    attachment = get_visible_or_404(
        selectors.attachments_visible_to(request.user), compact__public_id=public_id, public_id=attachment_id
    )
    return download_response(attachment)
