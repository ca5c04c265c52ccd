"""六个标准化 pages: the rule catalogue, village adoptions, compliance, yearly reviews, ranking."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from governance import preview
from governance.attachments import download_response
from governance.exports import Column, export_response
from governance.fields import parse_year
from governance.forms import apply_errors
from governance.history import history_entries
from governance.listing import filtered_list
from governance.permissions import EDIT_DENIED, editor_required, reviewer_required
from governance.preview import dry_run
from governance.roles import Role, can_edit_records, can_review, may_write_for
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale
from standards import selectors, services
from standards.filters import AdoptionFilter, ReviewFilter, RuleFilter
from standards.forms import (
    AdoptForm,
    AdoptionEditForm,
    EvidenceForm,
    ReturnForm,
    ReviewForm,
    RuleForm,
)
from standards.models import AREAS, NOTE_FIELDS, SCORE_FIELDS, Area, Review
from villages.models import County
from villages.selectors import counties_visible_to

RULE_COLUMNS = [
    Column(_lazy("县（市）"), lambda r: r.county.name),
    Column(_lazy("领域"), lambda r: r.get_area_display()),
    Column(_lazy("编号"), lambda r: r.code),
    Column(_lazy("规范名称"), lambda r: r.title),
    Column(_lazy("示例"), lambda r: r.is_example),
    Column(_lazy("停用日期"), lambda r: r.retired_on),
]
ADOPTION_COLUMNS = [
    Column(_lazy("乡镇（街道）"), lambda a: a.village.township.name),
    Column(_lazy("村（社区）"), lambda a: a.village.name),
    Column(_lazy("区划代码"), lambda a: a.village.code),
    Column(_lazy("领域"), lambda a: a.rule.get_area_display()),
    Column(_lazy("编号"), lambda a: a.rule.code),
    Column(_lazy("规范名称"), lambda a: a.rule.title),
    Column(_lazy("采纳日期"), lambda a: a.adopted_on),
    Column(_lazy("佐证说明"), lambda a: a.note),
    Column(_lazy("规范已停用"), lambda a: not a.rule.is_active),
]
REVIEW_COLUMNS = [
    Column(_lazy("年度"), lambda r: r.year),
    Column(_lazy("乡镇（街道）"), lambda r: r.branch.township.name),
    Column(_lazy("党组织"), lambda r: r.branch.name),
    *[Column(area.label, lambda r, f=SCORE_FIELDS[area]: getattr(r, f)) for area in Area],
    Column(_lazy("总分"), lambda r: r.total),
    Column(_lazy("考评人"), lambda r: r.assessor),
    Column(_lazy("状态"), lambda r: r.get_state_display()),
    Column(_lazy("退回原因"), lambda r: r.return_reason),
]


def _percent(rate) -> str:
    value = rate.percent
    return "" if value is None else f"{value}%"


def _compliance_columns(unit_header) -> list[Column]:
    return [
        Column(unit_header, lambda row: row.unit.name),
        Column(_lazy("区划代码"), lambda row: row.unit.code),
        *[Column(area.label, lambda row, a=area: _percent(row.areas[a])) for area in Area],
        Column(_lazy("采纳数"), lambda row: row.total.adopted),
        Column(_lazy("应采纳数"), lambda row: row.total.catalogue),
        Column(_lazy("合规率"), lambda row: _percent(row.total)),
    ]


def _confirm_page(request, *, title, subject, summary, after, action, back, form=None, error="", status=200):
    """The second step of a transition (works without JavaScript): what will happen, then 确认."""
    context = {
        "title": title,
        "subject": subject,
        "summary": summary,
        "after": after,
        "action": action,
        "back": back,
        "form": form or preview.ConfirmForm(),
        "error": error,
    }
    return render(request, "standards/confirm.html", context, status=status)


# ---------------------------------------------------------------- start


@require_safe
@login_required
def index(request):
    year = timezone.localdate().year
    reviews = selectors.reviews_visible_to(request.user)
    context = {
        "rule_count": selectors.rules_visible_to(request.user).filter(retired_on__isnull=True).count(),
        "submitted_count": reviews.filter(state=Review.State.SUBMITTED).count(),
        "returned_count": reviews.filter(state=Review.State.RETURNED).count(),
        "year": year,
        "may_edit": can_edit_records(request.user),
        "may_review": can_review(request.user),
    }
    return render(request, "standards/index.html", context)


# ---------------------------------------------------------------- catalogue


def _rule_for_edit(request, public_id):
    return get_visible_or_404(selectors.rules_editable_by(request.user), public_id=public_id)


@require_safe
@login_required
def rule_list(request):
    return filtered_list(
        request,
        queryset=selectors.rules_visible_to(request.user).order_by("county__code", "area", "code"),
        filterset_class=RuleFilter,
        columns=RULE_COLUMNS,
        filename="六个标准化规范目录",
        template="standards/rule_list.html",
        partial_template="standards/_rule_table.html",
        context={"may_edit_rules": can_review(request.user), "areas": Area},
    )


@require_safe
@login_required
def rule_detail(request, public_id):
    rule = get_visible_or_404(selectors.rules_visible_to(request.user), public_id=public_id)
    context = {
        "rule": rule,
        "may_edit": can_review(request.user) and request.user.county_id == rule.county_id,
        "adoption_count": rule.adoptions.count(),
        "history": history_entries(rule),
    }
    return render(request, "standards/rule_detail.html", context)


def _form_page(request, form, *, title, back, submit=None, template="standards/form.html", extra=None):
    context = {"form": form, "title": title, "back": back, "submit": submit or _("保存"), **(extra or {})}
    return render(request, template, context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def rule_new(request):
    county = County.objects.filter(pk=request.user.county_id).first()
    if county is None:
        raise Http404
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_create(
                user=request.user,
                county=county,
                **{k: form.cleaned_data[k] for k in ("area", "code", "title", "is_example")},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增规范：%(rule)s。") % {"rule": rule})
            return redirect("standards:rule_detail", rule.public_id)
    return _form_page(request, form, title=_("新增规范"), back=reverse("standards:rule_list"))


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def rule_edit(request, public_id):
    rule = _rule_for_edit(request, public_id)
    initial = {"area": rule.area, "code": rule.code, "title": rule.title, "is_example": rule.is_example}
    form = RuleForm(request.POST or None, record=rule, initial=initial)
    back = reverse("standards:rule_detail", args=[rule.public_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(
                rule=rule,
                user=request.user,
                version=form.cleaned_data["version"],
                **{k: form.cleaned_data[k] for k in ("area", "code", "title", "is_example")},
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("规范已保存。"))
            return redirect(back)
    return _form_page(request, form, title=_("修改规范：%(rule)s") % {"rule": rule.code}, back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def rule_retire(request, public_id):
    rule = _rule_for_edit(request, public_id)
    back = reverse("standards:rule_detail", args=[rule.public_id])
    call = lambda: services.rule_retire(rule=rule, user=request.user)  # noqa: E731
    if preview.confirmed(request):
        try:
            call()
        except ValidationError as exc:
            messages.error(request, preview.error_text(exc))
        else:
            messages.success(request, _("规范已停用。"))
        return redirect(back)
    error = ""
    try:
        dry_run(call)
    except ValidationError as exc:
        error = preview.error_text(exc)
    rule.refresh_from_db()
    return _confirm_page(
        request,
        title=_("停用规范"),
        subject=str(rule),
        summary=[(_("领域"), rule.get_area_display()), (_("已采纳的村"), rule.adoptions.count())],
        after=_("停用后该规范不再计入目录和合规率，已有的采纳记录保留。"),
        action=request.path,
        back=back,
        error=error,
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- adoptions and compliance


def _village(request, code):
    return get_visible_or_404(selectors.villages_visible_to(request.user), code=code)


def _village_page(request, village, *, form=None, status=200):
    may_edit = may_write_for(request.user, village.township_id)
    compliance = selectors.village_compliance(village)
    catalogue = selectors.village_catalogue(village, compliance)
    if may_edit and form is None:
        form = AdoptForm(rules=selectors.adoptable_rules(village))
    context = {
        "village": village,
        "catalogue": catalogue,
        "compliance": compliance,
        "may_edit": may_edit,
        "form": form,
        "chosen": {str(v) for v in form["rules"].value() or []}
        if form is not None and form.is_bound
        else set(),
    }
    return render(request, "standards/village.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def village_adoptions(request, code):
    """A village's catalogue with what it adopted; township staff of the village mark rules adopted."""
    village = _village(request, code)
    if request.method != "POST":
        return _village_page(request, village)
    if not can_edit_records(request.user):  # other townships' villages already answered 404
        raise PermissionDenied(EDIT_DENIED)
    form = AdoptForm(request.POST, request.FILES, rules=selectors.adoptable_rules(village))
    if form.is_valid():
        try:
            created = services.adoptions_record(
                village=village,
                user=request.user,
                rules=list(form.cleaned_data["rules"]),
                adopted_on=form.cleaned_data["adopted_on"],
                note=form.cleaned_data["note"],
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已记录 %(n)s 条规范的采纳。") % {"n": len(created)})
            return redirect("standards:village", village.code)
    return _village_page(request, village, form=form, status=400)


@require_safe
@login_required
def adoption_list(request):
    """Adoptions, filtered; ``?rule=<public id>`` (the link on a rule's page) keeps one rule's."""
    queryset = selectors.adoptions_visible_to(request.user)
    rule = _uuid(request.GET.get("rule"))
    if request.GET.get("rule"):
        queryset = queryset.filter(rule__public_id=rule) if rule else queryset.none()
    return filtered_list(
        request,
        queryset=queryset.order_by("village__code", "rule__area", "rule__code"),
        filterset_class=AdoptionFilter,
        columns=ADOPTION_COLUMNS,
        filename="六个标准化规范采纳",
        template="standards/adoption_list.html",
        partial_template="standards/_adoption_table.html",
    )


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None


def _adoption(request, public_id):
    return get_visible_or_404(selectors.adoption_detail_for(request.user), public_id=public_id)


def _adoption_page(request, adoption, *, evidence_form=None, status=200):
    context = {
        "adoption": adoption,
        "may_edit": may_write_for(request.user, adoption.village.township_id),
        "evidence_form": evidence_form or EvidenceForm(),
        "history": history_entries(adoption),
    }
    return render(request, "standards/adoption_detail.html", context, status=status)


@require_safe
@login_required
def adoption_detail(request, public_id):
    return _adoption_page(request, _adoption(request, public_id))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def adoption_edit(request, public_id):
    adoption = _adoption(request, public_id)
    back = reverse("standards:adoption_detail", args=[adoption.public_id])
    initial = {"adopted_on": adoption.adopted_on, "note": adoption.note}
    form = AdoptionEditForm(request.POST or None, record=adoption, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_update(
                adoption=adoption,
                user=request.user,
                version=form.cleaned_data["version"],
                adopted_on=form.cleaned_data["adopted_on"],
                note=form.cleaned_data["note"],
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("采纳记录已保存。"))
            return redirect(back)
    title = _("修改采纳记录：%(village)s %(rule)s") % {
        "village": adoption.village.name,
        "rule": adoption.rule.code,
    }
    return _form_page(request, form, title=title, back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def adoption_attach(request, public_id):
    adoption = _adoption(request, public_id)
    if request.method != "POST":
        return redirect("standards:adoption_detail", adoption.public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.adoption_attach(
                adoption=adoption,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("佐证材料已上传。"))
            return redirect("standards:adoption_detail", adoption.public_id)
    return _adoption_page(request, adoption, evidence_form=form, status=400)


@require_safe
@login_required
def attachment_download(request, public_id, attachment_id):
    attachment = get_visible_or_404(
        selectors.adoption_attachments_visible_to(request.user),
        adoption__public_id=public_id,
        public_id=attachment_id,
    )
    return download_response(attachment)


@require_safe
@login_required
def compliance(request):
    """Compliance per township (and county totals), or per village of ``?township=``; each figure
    links one level down; both levels export. Township staff start at their own township's villages
    (a "county total" of one township would mislead)."""
    code = request.GET.get("township") or ""
    if not code and request.user.role == Role.TOWNSHIP_STAFF and request.user.township_id:
        code = request.user.township.code
    county_code = request.GET.get("county") or ""
    county = None
    if code:
        level = "village"
        township = selectors.visible_township(request.user, code)
        if township is None:
            raise Http404
        rows, total = selectors.compliance_by_village(township)
        totals = [total]
        columns = _compliance_columns(_lazy("村（社区）"))
        filename = f"六个标准化合规率-{township.name}"
    elif county_code or request.user.role != Role.ADMIN:
        # A county official's first level; an admin's second (one county's townships).
        level, township = "township", None
        if county_code:
            county = counties_visible_to(request.user).filter(code=county_code).first()
            if county is None:
                raise Http404
        rows, totals = selectors.compliance_by_township(request.user, county=county)
        columns = _compliance_columns(_lazy("乡镇（街道）"))
        filename = f"六个标准化合规率-{county.name}" if county else "六个标准化合规率"
    else:
        # An admin's first level: one row per county (a province has 3,000 townships).
        level, township = "county", None
        rows, totals = selectors.compliance_by_county(request.user)
        columns = _compliance_columns(_lazy("县（市）"))
        filename = "六个标准化合规率-各县（市）"
    exported = export_response(request, [*rows, *totals], columns=columns, filename=filename)
    if exported is not None:
        return exported
    querystring = f"township={township.code}" if township else (f"county={county.code}" if county else "")
    context = {
        "level": level,
        "township": township,
        "county": county,
        "rows": rows,
        "totals": totals,
        "areas": AREAS,
        "querystring": querystring,
        "may_go_up": request.user.role != Role.TOWNSHIP_STAFF,
        "admin_levels": request.user.role == Role.ADMIN,
    }
    return render(request, "standards/compliance.html", context)


# ---------------------------------------------------------------- reviews


def _review(request, public_id):
    return get_visible_or_404(selectors.reviews_visible_to(request.user), public_id=public_id)


def _score_data(form) -> dict:
    names = [*SCORE_FIELDS.values(), *NOTE_FIELDS.values(), "assessor"]
    return {name: form.cleaned_data[name] for name in names}


@require_safe
@login_required
def review_list(request):
    return filtered_list(
        request,
        queryset=selectors.reviews_visible_to(request.user).order_by(
            "-year", "branch__township__code", "branch__name", "pk"
        ),
        filterset_class=ReviewFilter,
        columns=REVIEW_COLUMNS,
        filename="六个标准化考评",
        template="standards/review_list.html",
        partial_template="standards/_review_table.html",
        context={"may_edit": can_edit_records(request.user), "areas": AREAS},
    )


def _review_form_page(request, form, *, title, back, review=None):
    extra = {"review": review, "areas": [(SCORE_FIELDS[a], NOTE_FIELDS[a], a.label) for a in Area]}
    return _form_page(
        request, form, title=title, back=back, template="standards/review_form.html", extra=extra
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def review_new(request):
    branches = selectors.review_branches_for(request.user)
    initial = {"year": timezone.localdate().year}
    wanted = _uuid(request.GET.get("branch"))  # the branch page's link; anything else is ignored
    chosen = branches.filter(public_id=wanted).first() if wanted else None
    if chosen:
        initial["branch"] = chosen.pk
    form = ReviewForm(request.POST or None, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                branch=form.cleaned_data["branch"],
                year=form.cleaned_data["year"],
                user=request.user,
                data=_score_data(form),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("考评草稿已保存，核对后请提交。"))
            return redirect("standards:review_detail", review.public_id)
    return _review_form_page(
        request, form, title=_("录入六个标准化考评"), back=reverse("standards:review_list")
    )


@require_safe
@login_required
def review_detail(request, public_id):
    review = _review(request, public_id)
    context = {
        "review": review,
        "may_edit": may_write_for(request.user, review.branch.township_id),
        "may_review": can_review(request.user),
        "history": history_entries(review),
    }
    return render(request, "standards/review_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def review_edit(request, public_id):
    review = _review(request, public_id)
    back = reverse("standards:review_detail", args=[review.public_id])
    initial = {
        name: getattr(review, name) for name in [*SCORE_FIELDS.values(), *NOTE_FIELDS.values(), "assessor"]
    }
    form = ReviewForm(request.POST or None, record=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(
                review=review, user=request.user, version=form.cleaned_data["version"], data=_score_data(form)
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("考评已保存。"))
            return redirect(back)
    title = _("修改考评：%(review)s") % {"review": review}
    return _review_form_page(request, form, title=title, back=back, review=review)


def _review_summary(review) -> list[tuple[str, object]]:
    return [
        *[(label, score) for label, score, _note in review.scores()],
        (_("总分（六项平均）"), review.total),
        (_("考评人"), review.assessor),
        (_("当前状态"), review.get_state_display()),
    ]


def _transition(request, public_id, *, service, title, after, done, form_class=None, fields=()):
    """A review's transition through its confirmation page (``governance.preview.transition``)."""
    review = _review(request, public_id)
    return preview.transition(
        request,
        service=lambda **reason: service(review=review, user=request.user, **reason),
        back=reverse("standards:review_detail", args=[review.public_id]),
        done=done,
        page=lambda: {
            "title": title,
            "subject": str(review),
            "summary": _review_summary(review),
            "after": after,
        },
        template="standards/confirm.html",
        form_class=form_class,
        fields=fields,
        refresh=review.refresh_from_db,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def review_submit(request, public_id):
    return _transition(
        request,
        public_id,
        service=services.review_submit,
        title=_("提交考评"),
        after=_("提交后由县级审核人员确认或退回，提交后不能修改。"),
        done=_("考评已提交。"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def review_confirm(request, public_id):
    return _transition(
        request,
        public_id,
        service=services.review_confirm,
        title=_("确认考评"),
        after=_("确认后考评计入乡镇排名，不能再修改或退回。"),
        done=_("考评已确认。"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def review_return(request, public_id):
    return _transition(
        request,
        public_id,
        service=services.review_return,
        title=_("退回考评"),
        after=_("退回后由乡镇按退回原因修改并重新提交。"),
        done=_("考评已退回。"),
        form_class=ReturnForm,
        fields=("reason",),
    )


@require_safe
@login_required
def ranking(request):
    """Townships ranked by the mean total of the year's confirmed reviews, the change against the
    previous year, and the lowest areas county-wide; every figure links to its reviews."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year")
    year = parse_year(raw) if raw else this_year
    if year is None:
        context = {"bad_year": True, "year": raw, "years": selectors.review_years(request.user)}
        return render(request, "standards/ranking.html", context, status=400)
    # An admin across a province ranks the counties first; a county's name opens the ranking of its
    # townships (``?county=``). One county's officials and staff see their townships as ever.
    counties = counties_visible_to(request.user)
    admin_levels = request.user.role == Role.ADMIN and counties.count() > 1
    county = None
    if admin_levels and request.GET.get("county"):
        county = get_visible_or_404(counties, code=request.GET["county"])
    if admin_levels and county is None:
        rows = selectors.county_ranking(request.user, year=year)
    else:
        rows = selectors.township_ranking(request.user, year=year, county=county)
    context = {
        "year": year,
        "rows": rows,
        "level": "county" if admin_levels and county is None else "township",
        "county": county,
        "area_means": selectors.area_means(request.user, year=year),
        "years": sorted({*selectors.review_years(request.user), this_year, year}, reverse=True),
    }
    return render(request, "standards/ranking.html", context)
