"""Cadre pages. Every view: decorators (login, method, editor for writes) → scoped selector (404
outside jurisdiction) → form → service → redirect. ID numbers only ever leave masked, except
through ``person_reveal`` (a logged POST); views that receive one mark it as a sensitive POST
parameter, so an error report never carries it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cadres import filters, forms, idnumbers, services
from cadres.columns import (
    COMPLIANCE_COLUMNS,
    DEVELOPMENT_COLUMNS,
    EVALUATION_COLUMNS,
    PERSON_COLUMNS,
    POST_COLUMNS,
    RESERVE_COLUMNS,
    REVEAL_COLUMNS,
)
from cadres.models import EvaluationCorrection, PostCorrection, ReserveQuota
from cadres.selectors import (
    ComplianceStatus,
    compliance_by_county,
    compliance_for,
    compliance_totals,
    developments_visible_to,
    evaluations_visible_to,
    may_read_reveal_log,
    people_visible_to,
    posts_visible_to,
    reserves_visible_to,
    reveals_visible_to,
    roster_for,
    village_compliance,
)
from governance.exports import export_response
from governance.fields import parse_year
from governance.forms import apply_errors, save_with
from governance.history import history_entries
from governance.hooks import render_panels
from governance.listing import filtered_list, list_context, render_list
from governance.permissions import editor_required
from governance.preview import dry_run
from governance.roles import can_edit_records, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale
from villages.selectors import villages_visible_to


def _form_page(request, form, *, title: str, back: str, submit: str = ""):
    return render(
        request,
        "cadres/form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("保存")},
        status=form_status(form),
    )


def _save(form, call, *, stale_url: str = "") -> object | None:
    """Run a service with the form's data; on a rule violation show its errors and return None."""
    return save_with(form, lambda: call(form.cleaned_data), stale_url=stale_url)


def _dry_run(form, call, after):
    """Run the service with every rule and roll it back: ``after()`` (read inside the transaction)
    says what the real call will leave. On a rule violation show its errors and return None."""

    def trial():
        call(form.cleaned_data)
        return after()

    try:
        return dry_run(trial)
    except StaleRecord as exc:
        show_stale(form, exc, url="")
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _confirm_page(request, form, *, title: str, subject: str, action: str, after: str, back: str):
    """The second step of an action that cannot be undone, without JavaScript: what was typed, what
    will happen, and two buttons: 确认办理 (``confirmed``) records, 返回修改 (``revise``) brings the
    form back with the values as typed."""
    summary = [(field.label, _shown(form.cleaned_data.get(field.name))) for field in form]
    context = {
        "form": form,
        "title": title,
        "subject": subject,
        "action": action,
        "after": after,
        "summary": summary,
        "back": back,
    }
    return render(request, "cadres/action_confirm.html", context)


def _confirm_step(request) -> tuple[bool, bool]:
    """(confirmed, revise) from the confirmation page's buttons."""
    return request.POST.get("confirmed") == "1", request.POST.get("revise") == "1"


def _record_action(request, *, record, action, label, form, call, confirm, after, url_names, page):
    """The one flow of a development or reserve record's action forms. "返回修改" shows the form
    again as typed; an irreversible action (``confirm``) first shows the confirmation page built
    from a dry run of the service; a confirmed or ordinary action is saved and redirects to the
    record. ``url_names`` = (the action's URL, the record's page); ``page`` renders the record."""
    action_url, detail_url = url_names
    confirmed, revise = _confirm_step(request)
    if revise:
        return page(request, record, bound=(action, form), status=form_status(form))
    if confirm and not confirmed and form.is_valid():
        outcome = _dry_run(form, call, after)
        record.refresh_from_db()
        if outcome is not None:
            return _confirm_page(
                request,
                form,
                title=_("确认办理：%(action)s") % {"action": label},
                subject=record.person.name,
                action=reverse(action_url, args=[record.public_id, action]),
                after=outcome,
                back=reverse(detail_url, args=[record.public_id]),
            )
    elif _save(form, call):
        messages.success(request, _("已办理：%(action)s。") % {"action": label})
        return redirect(detail_url, public_id=record.public_id)
    return page(request, record, bound=(action, form), status=400)


# ---------------------------------------------------------------- people


@require_safe
@login_required
def index(request):
    """/cadres/: the people register, with links to the other lists."""
    return filtered_list(
        request,
        queryset=people_visible_to(request.user).order_by("home_village__code", "name"),
        filterset_class=filters.PersonFilter,
        columns=PERSON_COLUMNS,
        filename="人员名录",
        template="cadres/person_list.html",
        partial_template="cadres/_person_table.html",
        context={"lookup_form": forms.IdLookupForm()},
    )


@sensitive_post_parameters("id_number")
@require_POST
@login_required
def person_lookup(request):
    """Find a visible person by whole ID number through its keyed hash; the number is never stored
    or logged. Someone outside the user's jurisdiction is "not found", like no one."""
    form = forms.IdLookupForm(request.POST)
    if form.is_valid():
        digest = idnumbers.keyed_hash(form.cleaned_data["id_number"])
        person = people_visible_to(request.user).filter(id_number_hash=digest).first()
        if person is not None:
            return redirect("cadres:person_detail", public_id=person.public_id)
        messages.error(request, _("没有找到该身份证号码对应的人员。"))
    else:
        messages.error(request, " ".join(form.errors["id_number"]))
    return redirect("cadres:index")


@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def person_create(request):
    form = forms.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST":
        person = _save(form, lambda data: services.person_create(user=request.user, **data))
        if person:
            messages.success(request, _("已登记%(name)s。") % {"name": person.name})
            return redirect("cadres:person_detail", public_id=person.public_id)
    return _form_page(request, form, title=_("登记人员"), back=reverse("cadres:index"))


@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def person_edit(request, public_id):
    person = get_visible_or_404(people_visible_to(request.user), public_id=public_id)
    form = forms.PersonForm(request.POST or None, instance=person, user=request.user)
    update = lambda data: services.person_update(person=person, user=request.user, **data)  # noqa: E731
    back = reverse("cadres:person_detail", args=[person.public_id])
    if request.method == "POST" and _save(form, update, stale_url=back):
        messages.success(request, _("已保存。"))
        return redirect("cadres:person_detail", public_id=person.public_id)
    return _form_page(request, form, title=_("修改人员信息：%(name)s") % {"name": person.name}, back=back)


def _person_context(request, person) -> dict:
    posts = posts_visible_to(request.user).filter(person=person)
    evaluations = evaluations_visible_to(request.user).filter(person=person)
    return {
        "person": person,
        "posts": posts.order_by("-start_date"),
        "evaluations": evaluations.order_by("-year"),
        # Corrections of the posts and evaluations shown (the owning township corrects them).
        "can_correct": can_edit_records(request.user),
        "post_corrections": PostCorrection.objects.filter(post__in=posts.values("pk")).select_related(
            "corrected_by", "post"
        ),
        "evaluation_corrections": EvaluationCorrection.objects.filter(
            evaluation__in=evaluations.values("pk")
        ).select_related("corrected_by"),
        "developments": developments_visible_to(request.user).filter(person=person),
        "reserves": reserves_visible_to(request.user).filter(person=person),
        "may_reveal": services.may_reveal_id_number(person=person, user=request.user),
        "history": history_entries(person),
    }


@require_safe
@login_required
def person_detail(request, public_id):
    person = get_visible_or_404(people_visible_to(request.user), public_id=public_id)
    context = _person_context(request, person)
    # Just revealed (person_reveal, post/redirect/get): shown this once, then masked again on reload.
    number = request.session.pop(_reveal_key(person), None) if request.method == "GET" else None
    if number is not None:
        context["revealed_number"] = number
    response = render(request, "cadres/person_detail.html", context)
    if number is not None:
        add_never_cache_headers(response)  # the page holds the whole number
    return response


def _reveal_key(person) -> str:
    return f"cadres:revealed:{person.public_id}"


@never_cache
@require_POST
@login_required
def person_reveal(request, public_id):
    """Show the whole ID number once, logged, on the person's page it redirects to."""
    person = get_visible_or_404(people_visible_to(request.user), public_id=public_id)
    try:
        number = services.person_reveal_id_number(person=person, user=request.user)
    except services.RevealLimitReached as exc:
        # Post/redirect/get here too: the refusal (saying when revealing is allowed again) is a
        # message on the person's page, so a reload shows that page instead of posting again.
        messages.error(request, exc.message)
        return redirect("cadres:person_detail", public_id=person.public_id)
    # Post/redirect/get: the address bar goes back to the person's page (a reload does not post
    # again, nor answer 405); the number waits in the server-side session for that one page, never
    # in a URL or a cookie.
    request.session[_reveal_key(person)] = number
    return redirect("cadres:person_detail", public_id=person.public_id)


@require_safe
@login_required
def reveal_list(request):
    """/cadres/reveals/: who revealed whose whole ID number, for county officials (their county)
    and admins; township staff get 403. The numbers stay masked here and in the exports."""
    if not may_read_reveal_log(request.user):
        raise PermissionDenied(services.REVEAL_LOG_DENIED)
    return filtered_list(
        request,
        queryset=reveals_visible_to(request.user),
        filterset_class=filters.RevealFilter,
        columns=REVEAL_COLUMNS,
        filename="身份证号码查看记录",
        template="cadres/reveal_list.html",
        partial_template="cadres/_reveal_table.html",
    )


# ---------------------------------------------------------------- posts and rosters


@require_safe
@login_required
def post_list(request):
    return filtered_list(
        request,
        queryset=posts_visible_to(request.user).order_by(
            "village__code", "committee", "position", "-start_date"
        ),
        filterset_class=filters.PostFilter,
        columns=POST_COLUMNS,
        filename="两委任职",
        template="cadres/post_list.html",
        partial_template="cadres/_post_table.html",
    )


def _initial(request, **fields) -> dict:
    return {name: request.GET[key] for name, key in fields.items() if request.GET.get(key)}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def post_create(request):
    initial = _initial(request, person="person", village="village")
    form = forms.PostForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        post = _save(form, lambda data: services.post_create(**data))
        if post:
            messages.success(request, _("已任职：%(post)s。") % {"post": post})
            return redirect("cadres:roster", code=post.village.code)
    return _form_page(request, form, title=_("新增任职"), back=reverse("cadres:post_list"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def post_end(request, public_id):
    post = get_visible_or_404(posts_visible_to(request.user), public_id=public_id)
    form = forms.PostEndForm(request.POST or None)
    back = reverse("cadres:roster", args=[post.village.code])
    title = _("办理离任：%(post)s") % {"post": post}
    end = lambda data: services.post_end(post=post, **data)  # noqa: E731
    confirmed, revise = _confirm_step(request)
    if request.method == "POST" and not revise and form.is_valid() and not confirmed:
        # 离任 cannot be undone: first a confirmation page (nothing is saved yet).
        after = _dry_run(form, end, lambda: "")
        post.refresh_from_db()
        if after is not None:
            date = form.cleaned_data["end_date"].isoformat()
            text = _("%(name)s自%(date)s起不再担任%(post)s，任职记录将结束。") % {
                "name": post.person.name,
                "date": date,
                "post": post,
            }
            url = reverse("cadres:post_end", args=[post.public_id])
            return _confirm_page(
                request, form, title=title, subject=str(post), action=url, after=text, back=back
            )
    elif request.method == "POST" and not revise and _save(form, end):
        messages.success(request, _("已办理离任。"))
        return redirect("cadres:roster", code=post.village.code)
    return _form_page(request, form, title=title, back=back)


@require_safe
@login_required
def roster(request, code):
    village = get_visible_or_404(villages_visible_to(request.user), code=code)
    today = timezone.localdate()
    context = {
        "village": village,
        "today": today,
        "roster": roster_for(village=village, on=today),
        "reserves": reserves_visible_to(request.user).filter(village=village, plan_year=today.year),
        "compliance": village_compliance(request.user, village=village, year=today.year),
        "can_edit": can_edit_records(request.user),
    }
    return render(request, "cadres/roster.html", context)


# ---------------------------------------------------------------- evaluations


@require_safe
@login_required
def evaluation_list(request):
    return filtered_list(
        request,
        queryset=evaluations_visible_to(request.user).order_by("-year", "village__code", "person__name"),
        filterset_class=filters.EvaluationFilter,
        columns=EVALUATION_COLUMNS,
        filename="两述一评",
        template="cadres/evaluation_list.html",
        partial_template="cadres/_evaluation_table.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def evaluation_create(request):
    initial = _initial(request, person="person", village="village")
    form = forms.EvaluationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and _save(form, lambda data: services.evaluation_record(**data)):
        messages.success(request, _("已记录两述一评。"))
        return redirect("cadres:evaluation_list")
    return _form_page(request, form, title=_("记录两述一评"), back=reverse("cadres:evaluation_list"))


# ---------------------------------------------------------------- 3512 compliance


# A whole county on one page (Kangding has 234 villages); a province admin pages through.
COMPLIANCE_PAGE_SIZE = 300


def _plan_year(request) -> int | None:
    raw = request.GET.get("year") or str(timezone.localdate().year)
    return parse_year(raw)


def _county_id(user):
    return user.township.county_id if user.township_id else user.county_id


@require_safe
@login_required
def compliance(request):
    """Every village in scope for a plan year with its status, and township and county totals
    computed in SQL over the same filtered villages. Same filters, exports and htmx partial as
    ``filtered_list``, with a page large enough for a county."""
    year = _plan_year(request)
    # A malformed year shows the page with the form's error (and no rows), not a bare 400.
    year_ok, year = year is not None, year or timezone.localdate().year
    # The standard line names the user's county's quota for the year (each row is judged by its own).
    quota = ReserveQuota.for_year(_county_id(request.user), year)
    data = request.GET.copy()
    data.setdefault("year", str(year))  # the form shows which year the page is about
    filterset = filters.ComplianceFilter(
        data, queryset=compliance_for(request.user, year=year), request=request
    )
    villages = filterset.qs if filterset.is_valid() and year_ok else filterset.queryset.none()
    exported = export_response(
        request, villages, columns=COMPLIANCE_COLUMNS, filename=f"3512后备干部达标情况{year}"
    )
    if exported is not None:
        return exported
    townships, total = compliance_totals(villages, year=year)
    # An admin across a province sees a row per county (3,000 township rows are unreadable and
    # cost the page its time budget); a county's name opens its townships (``?county=``).
    chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
    county_level = (
        sees_everything(request.user)
        and not chosen.get("county")
        and not chosen.get("township")
        and len({row["township__county__code"] for row in townships}) > 1
    )
    context = {
        **list_context(request, filterset=filterset, objects=villages, per_page=COMPLIANCE_PAGE_SIZE),
        "year": year if year_ok else None,
        "quota": quota,
        "townships": compliance_by_county(townships) if county_level else townships,
        "county_level": county_level,
        "total": total,
        "labels": ComplianceStatus.LABELS,
    }
    return render_list(
        request,
        context,
        template="cadres/compliance.html",
        partial_template="cadres/_compliance_table.html",
        status=200 if year_ok else 400,
    )


# ---------------------------------------------------------------- party-member development

DEVELOPMENT_ACTIONS = {
    # action: (label, form class, service, stage it applies to)
    "talk": (gettext_lazy("记录支部谈话"), forms.TalkForm, services.development_record_talk, "applicant"),
    "activist": (
        gettext_lazy("确定为入党积极分子"),
        forms.OnDateForm,
        services.development_make_activist,
        "applicant",
    ),
    "candidate": (
        gettext_lazy("列为发展对象"),
        forms.OnDateForm,
        services.development_make_candidate,
        "activist",
    ),
    "admit": (gettext_lazy("接收为预备党员"), forms.MeetingForm, services.development_admit, "candidate"),
    "extend": (
        gettext_lazy("延长预备期"),
        forms.ExtensionForm,
        services.development_extend_probation,
        "probationary",
    ),
    "confirm": (
        gettext_lazy("转为正式党员"),
        forms.MeetingForm,
        services.development_confirm,
        "probationary",
    ),
}
# Stage changes that cannot be undone: they go through a confirmation page first.
DEVELOPMENT_CONFIRMED = {"activist", "candidate", "admit", "extend", "confirm"}


@require_safe
@login_required
def development_list(request):
    return filtered_list(
        request,
        queryset=developments_visible_to(request.user).order_by("village__code", "applied_on"),
        filterset_class=filters.DevelopmentFilter,
        columns=DEVELOPMENT_COLUMNS,
        filename="发展党员",
        template="cadres/development_list.html",
        partial_template="cadres/_development_table.html",
        context={"today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def development_create(request):
    initial = _initial(request, person="person", village="village")
    form = forms.DevelopmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        development = _save(form, lambda data: services.development_apply(**data))
        if development:
            return redirect("cadres:development_detail", public_id=development.public_id)
    return _form_page(request, form, title=_("登记入党申请"), back=reverse("cadres:development_list"))


def _development_page(request, development, bound=None, status=200):
    actions = []
    if can_edit_records(request.user):
        for name, (label, form_class, _service, stage) in DEVELOPMENT_ACTIONS.items():
            # An applicant becomes an activist only after the branch talk (the service checks too).
            ready = not (name == "activist" and development.talked_on is None)
            if (development.stage == stage and ready) or (bound and bound[0] == name):
                form = bound[1] if bound and bound[0] == name else form_class(prefix=name)
                actions.append((name, label, form))
    context = {
        "development": development,
        "actions": actions,
        "today": timezone.localdate(),
        "history": history_entries(development),
        "corrections": development.corrections.select_related("corrected_by"),
    }
    if can_edit_records(request.user):
        context["correct_url"] = reverse("cadres:development_correct", args=[development.public_id])
    return render(request, "cadres/development_detail.html", context, status=status)


@require_safe
@login_required
def development_detail(request, public_id):
    development = get_visible_or_404(developments_visible_to(request.user), public_id=public_id)
    return _development_page(request, development)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def development_action(request, public_id, action):
    development = get_visible_or_404(developments_visible_to(request.user), public_id=public_id)
    if request.method != "POST":
        # A reload of the page a refused POST rendered here, or a bookmark: the record's page,
        # where the forms are (never 405).
        return redirect("cadres:development_detail", public_id=development.public_id)
    if action not in DEVELOPMENT_ACTIONS:
        return HttpResponseBadRequest(_("未知的操作。"))
    label, form_class, service, _stage = DEVELOPMENT_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    call = lambda data: service(development=development, **data)  # noqa: E731
    return _record_action(
        request,
        record=development,
        action=action,
        label=label,
        form=form,
        call=call,
        confirm=action in DEVELOPMENT_CONFIRMED,
        after=lambda: _development_after(development),
        url_names=("cadres:development_action", "cadres:development_detail"),
        page=_development_page,
    )


def _development_after(development) -> str:
    development.refresh_from_db()
    text = _("办理后发展阶段为“%(stage)s”。") % {"stage": development.get_stage_display()}
    if development.stage == "probationary" and development.probation_ends_on:
        text += _("预备期至%(date)s期满。") % {"date": development.probation_ends_on.isoformat()}
    return text


# ---------------------------------------------------------------- 3512 reserve cadres

RESERVE_ACTIONS = {
    # action: (label, form factory, service call)
    "review": (
        gettext_lazy("两委审"),
        lambda r, u, d: forms.OnDateForm(d, prefix="review"),
        lambda r, data: services.reserve_review(reserve=r, **data),
    ),
    "decide": (
        gettext_lazy("综合定"),
        lambda r, u, d: forms.OnDateForm(d, prefix="decide"),
        lambda r, data: services.reserve_decide(reserve=r, **data),
    ),
    "pair": (
        gettext_lazy("结对帮"),
        lambda r, u, d: forms.PairForm(d, prefix="pair", user=u, village=r.village, exclude_person=r.person),
        lambda r, data: services.reserve_pair(reserve=r, **data),
    ),
    "appoint": (
        gettext_lazy("任用"),
        lambda r, u, d: forms.AppointForm(d, prefix="appoint", user=u, reserve=r),
        lambda r, data: services.reserve_appoint(reserve=r, **data),
    ),
    "withdraw": (
        gettext_lazy("退出"),
        lambda r, u, d: forms.WithdrawForm(d, prefix="withdraw"),
        lambda r, data: services.reserve_withdraw(reserve=r, **data),
    ),
}
_NEXT_STEP = {"recommended": "review", "reviewed": "decide", "decided": "pair"}
# Actions that close the record (its 去向): they go through a confirmation page first.
RESERVE_CONFIRMED = {"appoint", "withdraw"}


@require_safe
@login_required
def reserve_list(request):
    return filtered_list(
        request,
        queryset=reserves_visible_to(request.user).order_by("-plan_year", "village__code", "recommended_on"),
        filterset_class=filters.ReserveFilter,
        columns=RESERVE_COLUMNS,
        filename="3512后备干部",
        template="cadres/reserve_list.html",
        partial_template="cadres/_reserve_table.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def reserve_create(request):
    initial = _initial(request, person="person", village="village") | {"plan_year": timezone.localdate().year}
    form = forms.ReserveForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        reserve = _save(form, lambda data: services.reserve_recommend(**data))
        if reserve:
            messages.success(request, _("已推荐%(name)s为后备干部。") % {"name": reserve.person.name})
            return redirect("cadres:reserve_detail", public_id=reserve.public_id)
    return _form_page(request, form, title=_("党群推荐后备干部"), back=reverse("cadres:reserve_list"))


def _reserve_page(request, reserve, bound=None, status=200):
    actions = []
    if can_edit_records(request.user) and reserve.outcome == "in_reserve":
        names = [
            _NEXT_STEP.get(reserve.stage),
            "appoint" if reserve.stage == "paired" else None,
            "withdraw",
        ]
        if bound and bound[0] not in names:
            names.insert(0, bound[0])  # an action tried out of order shows its error
        for name in filter(None, names):
            label, make_form, _call = RESERVE_ACTIONS[name]
            form = bound[1] if bound and bound[0] == name else make_form(reserve, request.user, None)
            actions.append((name, label, form))
    context = {
        "reserve": reserve,
        # Training records live in training/ (one kind of record): its ``person_training`` hook.
        "training_panels": render_panels("person_training", person=reserve.person, user=request.user),
        "actions": actions,
        "history": history_entries(reserve),
        "corrections": reserve.corrections.select_related("corrected_by"),
    }
    if can_edit_records(request.user):
        context["correct_url"] = reverse("cadres:reserve_correct", args=[reserve.public_id])
    return render(request, "cadres/reserve_detail.html", context, status=status)


@require_safe
@login_required
def reserve_detail(request, public_id):
    reserve = get_visible_or_404(reserves_visible_to(request.user), public_id=public_id)
    return _reserve_page(request, reserve)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def reserve_action(request, public_id, action):
    reserve = get_visible_or_404(reserves_visible_to(request.user), public_id=public_id)
    if request.method != "POST":
        # A reload after a refused POST, or a bookmark: the record's page (never 405).
        return redirect("cadres:reserve_detail", public_id=reserve.public_id)
    if action not in RESERVE_ACTIONS:
        return HttpResponseBadRequest(_("未知的操作。"))
    label, make_form, call = RESERVE_ACTIONS[action]
    form = make_form(reserve, request.user, request.POST)
    record = lambda data: call(reserve, data)  # noqa: E731
    return _record_action(
        request,
        record=reserve,
        action=action,
        label=label,
        form=form,
        call=record,
        confirm=action in RESERVE_CONFIRMED,
        after=lambda: _reserve_after(reserve),
        url_names=("cadres:reserve_action", "cadres:reserve_detail"),
        page=_reserve_page,
    )


def _reserve_after(reserve) -> str:
    reserve.refresh_from_db()
    return _("办理后去向为“%(outcome)s”，不再列入后备干部培养。") % {"outcome": reserve.get_outcome_display()}


# The most people one search answers: a picker shows a short list, the user types more to narrow it.
PERSON_SEARCH_LIMIT = 20


@require_safe
@login_required
def person_search(request):
    """The person picker's search (``static/js/pickers.js``): people of the user's jurisdiction whose
    name contains ``q``, as JSON ``{"results": [{"value": public_id, "text": label}]}`` (the label
    "姓名 · 出生年份 · 村 · 当前职务" of ``forms.person_choice_label``),
    at most ``PERSON_SEARCH_LIMIT``, in two queries. ``posted_in=VILLAGE`` keeps people holding a
    post there now (mentors; a village outside the jurisdiction answers 404), ``cadres=1`` people
    who hold or held a post, ``county=1`` people of the user's whole county (first secretaries)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:60]
    if not query:
        return JsonResponse({"results": []})
    people = people_visible_to(request.user).filter(name__contains=query)
    if request.GET.get("county") == "1":
        # First secretaries come from anywhere in the county ([9/10], cadres/stationing.py).
        from cadres.stationing import candidates_for

        people = candidates_for(request.user).filter(name__contains=query)
    elif "posted_in" in request.GET:
        code = request.GET["posted_in"]
        if not (code.isascii() and code.isdigit() and len(code) == 12):
            raise Http404
        village = get_visible_or_404(villages_visible_to(request.user), code=code)
        people = people.filter(posts__village=village, posts__end_date__isnull=True).distinct()
    elif request.GET.get("cadres") == "1":
        people = people.filter(posts__isnull=False).distinct()
    people = forms.with_current_posts(people.order_by("home_village__code", "name", "pk"))
    results = [
        {"value": str(p.public_id), "text": forms.person_choice_label(p)}
        for p in people[:PERSON_SEARCH_LIMIT]
    ]
    return JsonResponse({"results": results})


# ---------------------------------------------------------------- corrections (更正)


def _correction_page(request, *, record, service, title: str, back: str):
    """The one flow of a correction: the recorded fields prefilled and a required reason; a refused
    correction comes back in place (400) with the values as typed; a saved one redirects to the
    record's page, where it is listed (post/redirect/get)."""
    form = forms.CorrectionForm(request.POST or None, record=record, user=request.user)
    call = lambda data: service(record, user=request.user, **data)  # noqa: E731
    if request.method == "POST" and _save(form, call):
        messages.success(request, _("已更正，原因已记录。"))
        return redirect(back)
    corrections = record.corrections.select_related("corrected_by")
    context = {"form": form, "title": title, "back": back, "corrections": corrections}
    return render(request, "cadres/correct.html", context, status=form_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def development_correct(request, public_id):
    development = get_visible_or_404(developments_visible_to(request.user), public_id=public_id)
    return _correction_page(
        request,
        record=development,
        service=lambda r, **kw: services.development_correct(development=r, **kw),
        title=_("更正发展党员记录：%(name)s") % {"name": development.person.name},
        back=reverse("cadres:development_detail", args=[development.public_id]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def reserve_correct(request, public_id):
    reserve = get_visible_or_404(reserves_visible_to(request.user), public_id=public_id)
    return _correction_page(
        request,
        record=reserve,
        service=lambda r, **kw: services.reserve_correct(reserve=r, **kw),
        title=_("更正后备干部记录：%(name)s") % {"name": reserve.person.name},
        back=reverse("cadres:reserve_detail", args=[reserve.public_id]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def post_correct(request, public_id):
    post = get_visible_or_404(posts_visible_to(request.user), public_id=public_id)
    return _correction_page(
        request,
        record=post,
        service=lambda r, **kw: services.post_correct(post=r, **kw),
        title=_("更正任职记录：%(post)s") % {"post": post},
        back=reverse("cadres:person_detail", args=[post.person.public_id]) + "#posts",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def evaluation_correct(request, public_id):
    evaluation = get_visible_or_404(evaluations_visible_to(request.user), public_id=public_id)
    return _correction_page(
        request,
        record=evaluation,
        service=lambda r, **kw: services.evaluation_correct(evaluation=r, **kw),
        title=_("更正两述一评：%(name)s（%(year)s年）")
        % {"name": evaluation.person.name, "year": evaluation.year},
        back=reverse("cadres:person_detail", args=[evaluation.person.public_id]) + "#evaluations",
    )
