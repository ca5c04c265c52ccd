"""Excel import pages: the kinds with their templates and upload forms, the check of an upload
(every row's errors, nothing saved) and the confirmation step of a valid file."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from governance.exports import XLSX_CONTENT_TYPE
from governance.permissions import editor_required
from governance.preview import ConfirmForm, confirmed
from governance.roles import can_edit_records
from governance.scoping import get_visible_or_404
from imports import services
from imports.forms import UploadForm
from imports.models import ImportBatch
from imports.selectors import batches_visible_to
from imports.workbook import FileRefused, max_bytes, max_rows

# Errors listed on the check page; the count says how many there are in all.
SHOWN_ERRORS = 500


def _kind_or_404(slug: str) -> services.Kind:
    kind = services.KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _index_page(request, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    kinds = [
        (kind, forms.get(kind.slug) or UploadForm(auto_id=f"id_{kind.slug}_%s"))
        for kind in services.KINDS.values()
    ]
    context = {
        "kinds": kinds,
        "may_import": can_edit_records(request.user),
        "batches": batches_visible_to(request.user)[:10],
        "max_rows": max_rows(),
        "max_mb": max_bytes() // (1024 * 1024),
    }
    return render(request, "imports/index.html", context, status=status)


@require_safe
@login_required
def index(request):
    return _index_page(request)


@require_safe
@editor_required
def template_download(request, kind):
    kind = _kind_or_404(kind)
    buffer = io.BytesIO()
    kind.template(request.user).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{kind.title}模板.xlsx")
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def upload(request, kind):
    kind = _kind_or_404(kind)
    if request.method != "POST":
        # Reloading the page a refused upload left in the address bar: back to the import page.
        return redirect("imports:index")
    form = UploadForm(request.POST, request.FILES, auto_id=f"id_{kind.slug}_%s")
    if not form.is_valid():
        return _index_page(request, forms={kind.slug: form}, status=400)
    try:
        outcome, batch = services.batch_upload(kind=kind, user=request.user, upload=form.cleaned_data["file"])
    except FileRefused as exc:
        form.add_error("file", exc.message)
        return _index_page(request, forms={kind.slug: form}, status=400)
    if batch is None:
        context = {
            "kind": kind,
            "name": form.cleaned_data["file"].name,
            "outcome": outcome,
            "errors": outcome.errors[:SHOWN_ERRORS],
            "form": UploadForm(auto_id=f"id_{kind.slug}_%s"),
        }
        return render(request, "imports/errors.html", context, status=400)
    return redirect("imports:batch", public_id=batch.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def batch_detail(request, public_id):
    batch = get_visible_or_404(batches_visible_to(request.user), public_id=public_id)
    kind = _kind_or_404(batch.kind)
    errors: list[str] = []
    if confirmed(request) and batch.state == ImportBatch.State.PENDING:
        try:
            batch = services.batch_import(batch=batch, user=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("已导入：新增%(created)s条，%(unchanged)s 行无变化。")
                % {
                    "created": batch.created,
                    "unchanged": batch.unchanged,
                },
            )
            return redirect("imports:batch", public_id=batch.public_id)
    context = {
        "batch": batch,
        "title": _("导入%(title)s") % {"title": kind.name},
        "subject": batch.original_name or kind.name,
        "summary": [(_("数据行数"), batch.rows), (_("新增"), batch.created), (_("无变化"), batch.unchanged)],
        "after": _("确认后新增%(created)s条，%(unchanged)s 行无变化；全部行一次导入，不会只导入一部分。")
        % {"created": batch.created, "unchanged": batch.unchanged},
        "action": request.path,
        "back": reverse("imports:index"),
        "form": ConfirmForm(),
        "error": " ".join(errors[:SHOWN_ERRORS]),
    }
    return render(request, "imports/batch.html", context, status=400 if errors else 200)
