from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cadres.selectors import combined_leadership_on
from decisions import services
from decisions.filters import MatterFilter
from decisions.forms import (
    AttachmentForm,
    ConsultForm,
    DiscloseResolutionForm,
    DiscloseResultForm,
    MatterEditForm,
    MatterForm,
    ProposeForm,
    ResolveForm,
    ReviewForm,
    StepCorrectionForm,
    show_date_rule,
)
from decisions.models import (
    NEXT_STEP,
    STEP_BODIES,
    STEP_BY_SLUG,
    STEP_SLUGS,
    Matter,
    StepKind,
)
from decisions.selectors import (
    attachments_visible_to,
    matter_detail_for,
    matters_visible_to,
    step_corrections_for,
    steps_visible_to,
)
from governance.attachments import download_response
from governance.exports import Column
from governance.history import history_entries
from governance.listing import filtered_list
from governance.permissions import editor_required
from governance.roles import can_edit_records
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale

MATTER_COLUMNS = [
    Column(gettext_lazy("乡镇（街道）"), lambda m: m.village.township.name),
    Column(gettext_lazy("村（社区）"), lambda m: m.village.name),
    Column(gettext_lazy("事项名称"), lambda m: m.title),
    Column(gettext_lazy("类别"), lambda m: m.get_category_display()),
    Column(gettext_lazy("三必议"), lambda m: m.is_must_deliberate),
    Column(gettext_lazy("金额（元）"), lambda m: m.amount),
    Column(gettext_lazy("状态"), lambda m: m.get_state_display()),
    Column(gettext_lazy("提议日期"), lambda m: m.proposed_on),
    Column(gettext_lazy("决议日期"), lambda m: m.resolved_on),
    Column(gettext_lazy("决议公开日期"), lambda m: m.resolution_disclosed_on),
    Column(gettext_lazy("计划完成日期"), lambda m: m.planned_completion),
    Column(gettext_lazy("结果公开日期"), lambda m: m.result_disclosed_on),
    Column(gettext_lazy("逾期"), lambda m: m.is_overdue),
]


@require_safe
@login_required
def matter_list(request):
    return filtered_list(
        request,
        queryset=matters_visible_to(request.user).order_by("-created_at", "-pk"),
        filterset_class=MatterFilter,
        columns=MATTER_COLUMNS,
        filename="四议两公开事项",
        template="decisions/matter_list.html",
        partial_template="decisions/_matter_table.html",
        context={"can_edit": can_edit_records(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def matter_create(request):
    form = MatterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("事项已创建，请录入提议。"))
            return redirect("decisions:matter_detail", public_id=matter.public_id)
    return render(request, "decisions/matter_form.html", {"form": form}, status=form_status(form))


_EDITABLE_FIELDS = ("title", "category", "amount", "description", "planned_completion")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def matter_edit(request, public_id):
    """Correct the matter's own fields while it still waits for its proposal (the service checks)."""
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    if matter.state != Matter.State.NEW:
        messages.warning(request, _(services.MATTER_LOCKED))
        return redirect("decisions:matter_detail", public_id=matter.public_id)
    initial = {name: getattr(matter, name) for name in _EDITABLE_FIELDS}
    form = MatterEditForm(request.POST or None, user=request.user, initial=initial, record=matter)
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_update(matter=matter, user=request.user, **form.cleaned_data)
        except StaleRecord as exc:
            show_stale(form, exc, url=reverse("decisions:matter_detail", args=[matter.public_id]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("事项已修改，修改前后的内容记录在修改记录中。"))
            return redirect("decisions:matter_detail", public_id=matter.public_id)
    context = {"form": form, "matter": matter}
    return render(request, "decisions/matter_form.html", context, status=form_status(form))


# Step kind → (form class, service call with the form's cleaned data).
STEP_FORMS = {
    StepKind.PROPOSE: (
        ProposeForm,
        lambda m, u, f: services.matter_propose(
            matter=m,
            user=u,
            held_on=f.cleaned_data["held_on"],
            text=f.cleaned_data["text"],
            merged_consultation=f.merged_vote(),
        ),
    ),
    StepKind.CONSULT: (
        ConsultForm,
        lambda m, u, f: services.matter_consult(
            matter=m, user=u, held_on=f.cleaned_data["held_on"], vote=f.vote(), text=f.cleaned_data["text"]
        ),
    ),
    StepKind.REVIEW: (
        ReviewForm,
        lambda m, u, f: services.matter_review(
            matter=m, user=u, held_on=f.cleaned_data["held_on"], vote=f.vote(), text=f.cleaned_data["text"]
        ),
    ),
    StepKind.RESOLVE: (
        ResolveForm,
        lambda m, u, f: services.matter_resolve(
            matter=m,
            user=u,
            held_on=f.cleaned_data["held_on"],
            meeting_type=f.cleaned_data["meeting_type"],
            vote=f.vote(),
            households=f.cleaned_data["households"],
            households_represented=f.cleaned_data["households_represented"],
            text=f.cleaned_data["text"],
        ),
    ),
    StepKind.DISCLOSE_RESOLUTION: (
        DiscloseResolutionForm,
        lambda m, u, f: services.matter_disclose_resolution(matter=m, user=u, **f.cleaned_data),
    ),
    StepKind.DISCLOSE_RESULT: (
        DiscloseResultForm,
        lambda m, u, f: services.matter_disclose_result(matter=m, user=u, **f.cleaned_data),
    ),
}


# Errors that mean "this form no longer applies": shown as a message above the fresh page.
_STALE_CODES = {"already_recorded", "out_of_order", "closed"}


def _step_form(kind: StepKind, matter: Matter, data=None):
    """The form for ``kind``. The merged 提议+商议 fields are offered where the village has 一肩挑
    today; a posted merge is always checked by the service against the meeting date."""
    if kind == StepKind.PROPOSE:
        allow = data is not None or combined_leadership_on(village=matter.village, on=timezone.localdate())
        form = ProposeForm(data, allow_merge=allow)
    elif kind == StepKind.DISCLOSE_RESOLUTION:
        form = DiscloseResolutionForm(
            data, initial={"notice_days": services.policy_for(matter).notice_period_days}
        )
    else:
        form = STEP_FORMS[kind][0](data)
    hint, earliest, latest = services.step_date_rule(matter, kind)
    show_date_rule(form, hint, earliest=earliest, latest=latest)
    return form


def _detail_context(request, matter: Matter, *, step_form=None, attachment_form=None) -> dict:
    editable = can_edit_records(request.user) and matter.is_open
    next_step = NEXT_STEP.get(matter.state) if matter.is_open else None
    if editable and step_form is None and next_step is not None:
        step_form = _step_form(next_step, matter)
    steps = {step.kind: step for step in matter.steps.all()}
    corrections = {}
    for correction in step_corrections_for(request.user, matter=matter):
        corrections.setdefault(correction.step_id, []).append(correction)
    for step in steps.values():
        step.correction_list = corrections.get(step.pk, [])
    timeline = [
        {"kind": kind, "label": kind.label, "body": STEP_BODIES[kind], "step": steps.get(kind)}
        for kind in StepKind
    ]
    return {
        "matter": matter,
        "timeline": timeline,
        "policy": services.policy_for(matter),
        "next_step": next_step,
        "next_step_slug": STEP_SLUGS.get(next_step),
        "next_step_body": STEP_BODIES.get(next_step),
        "step_form": step_form if editable else None,
        "can_edit": can_edit_records(request.user),
        "step_slugs": STEP_SLUGS,
        "attachment_form": attachment_form or AttachmentForm(),
        "history": history_entries(matter),
    }


@require_safe
@login_required
def matter_detail(request, public_id):
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    return render(request, "decisions/matter_detail.html", _detail_context(request, matter))


def _stale_message(matter: Matter, kind: StepKind) -> str:
    """Why a posted step form no longer fits the matter (someone else moved it on meanwhile)."""
    if any(step.kind == kind for step in matter.steps.all()):
        return _(services.STEP_ALREADY_RECORDED)
    if not matter.is_open:
        return _(services.MATTER_CLOSED)
    return _(services.STEP_OUT_OF_ORDER) % {"expected": NEXT_STEP[matter.state].label}


def _back_to_matter(matter: Matter, fragment: str):
    """A GET of a form's POST address (a reload after an error or on the confirmation page, a
    bookmarked address): the matter page, where the form is."""
    return redirect(reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id}) + fragment)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def step_record(request, public_id, step):
    kind = STEP_BY_SLUG.get(step)
    if kind is None:
        raise Http404
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    if request.method != "POST":
        return _back_to_matter(matter, "#next-step")
    form = _step_form(kind, matter, request.POST)
    # Two steps, without JavaScript: the form posts to a confirmation page that states what will
    # happen (a failed vote in red); only its 确认录入 (``confirmed``) records. 返回修改 (``revise``)
    # brings the form back with the values as typed.
    confirmed = request.POST.get("confirmed") == "1"
    revise = request.POST.get("revise") == "1"
    if form.is_valid() and not revise:
        record = lambda: STEP_FORMS[kind][1](matter, request.user, form)  # noqa: E731
        try:
            outcome = record() if confirmed else services.step_preview(record)
        except ValidationError as exc:
            if getattr(exc, "code", None) in _STALE_CODES:
                messages.warning(request, exc.messages[0])
                return redirect("decisions:matter_detail", public_id=matter.public_id)
            form.add_error(None, exc)
        else:
            if not confirmed:
                context = {"matter": matter, "form": form, "kind": kind, "slug": step, "preview": outcome}
                return render(request, "decisions/step_confirm.html", context)
            matter.refresh_from_db()
            if matter.state == Matter.State.REJECTED:
                messages.error(
                    request, _("已录入“%(step)s”：表决未通过，事项以“未通过”结束。") % {"step": kind.label}
                )
            else:
                messages.success(request, _("已录入“%(step)s”。") % {"step": kind.label})
            return redirect("decisions:matter_detail", public_id=matter.public_id)
    if NEXT_STEP.get(matter.state) != kind:
        messages.warning(request, _stale_message(matter, kind))
        return redirect("decisions:matter_detail", public_id=matter.public_id)
    status = 200 if revise else 400
    return render(
        request,
        "decisions/matter_detail.html",
        _detail_context(request, matter, step_form=form),
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def step_correct(request, public_id, step):
    """Correct a recorded step with a required reason (the service re-checks every rule)."""
    kind = STEP_BY_SLUG.get(step)
    if kind is None:
        raise Http404
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    record = get_visible_or_404(steps_visible_to(request.user).filter(matter=matter), kind=kind)
    fields = services.correctable_fields(record)
    form = StepCorrectionForm(request.POST or None, fields=fields, step=record)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.step_correct(step=record, user=request.user, reason=reason, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已更正“%(step)s”，更正原因已记录。") % {"step": kind.label})
            return redirect("decisions:matter_detail", public_id=matter.public_id)
    context = {"matter": matter, "form": form, "step": record, "kind": kind}
    return render(request, "decisions/step_correct.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def attachment_upload(request, public_id):
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    if request.method != "POST":
        return _back_to_matter(matter, "")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                matter=matter,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("附件已上传。"))
            return redirect("decisions:matter_detail", public_id=matter.public_id)
    context = _detail_context(request, matter, attachment_form=form)
    return render(request, "decisions/matter_detail.html", context, status=400)


@require_safe
@login_required
def attachment_download(request, public_id, attachment_id):
    attachment = get_visible_or_404(
        attachments_visible_to(request.user), matter__public_id=public_id, public_id=attachment_id
    )
    return download_response(attachment)


@require_safe
@login_required
def matter_notice(request, public_id):
    matter = get_visible_or_404(matter_detail_for(request.user), public_id=public_id)
    return render(
        request,
        "decisions/notice.html",
        notice_context(
            matter, back=reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})
        ),
    )


# The notice prints the full text (a public notice must not cut the resolution short). Long texts
# get a denser print layout so that even every field at its maximum length still fits one A4 sheet
# (checked by printing to PDF in Chromium). A line break costs about a printed line of characters.
NOTICE_LINE_WEIGHT = 50
NOTICE_COMPACT_FROM = 850
NOTICE_DENSE_FROM = 1250
# Beyond this even the dense layout cannot keep every line break: the paragraphs run on.
NOTICE_FLOW_FROM = 3200


def notice_density(*texts: str) -> str:
    """The notice's print layout for these texts: "" (normal), "compact", "dense" or "dense flow"."""
    weight = sum(len(text) + NOTICE_LINE_WEIGHT * text.count("\n") for text in texts)
    if weight >= NOTICE_FLOW_FROM:
        return "dense flow"
    if weight >= NOTICE_DENSE_FROM:
        return "dense"
    if weight >= NOTICE_COMPACT_FROM:
        return "compact"
    return ""


def notice_context(matter: Matter, *, back: str) -> dict:
    """What a printed notice shows: the matter, the resolution and the result; never people."""
    steps = {step.kind: step for step in matter.steps.all()}
    disclosure = steps.get(StepKind.DISCLOSE_RESOLUTION)
    result = steps.get(StepKind.DISCLOSE_RESULT)
    return {
        "notice_until": disclosure.held_on + dt.timedelta(days=disclosure.notice_days - 1)
        if disclosure and disclosure.notice_days
        else None,
        "matter": matter,
        "resolution": steps.get(StepKind.RESOLVE) if matter.resolved_on else None,
        "resolution_disclosure": disclosure,
        "result": result,
        "procedure": [steps[kind] for kind in sorted(steps) if kind <= StepKind.RESOLVE],
        "back": back,
        "density": notice_density(matter.title, matter.description, result.text if result else ""),
    }
