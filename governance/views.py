from __future__ import annotations

import sys
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_http_methods, require_safe

from governance import figures, review
from governance.exports import export_sheets
from governance.hooks import app_hooks_with_labels, render_panels
from governance.middleware import conflict_response, database_unavailable_response, is_database_unavailable
from governance.pages import cached_page
from governance.periods import BadPeriod, collected_month, parse_period, period_select_options
from governance.roles import Role, can_review, sees_everything
from governance.scoping import county_reader
from villages.selectors import counties_visible_to, overview_units, villages_visible_to


@require_safe
@login_required
def home(request):
    """Each role's start page: their jurisdiction's units and whatever the apps say is due."""
    level, units = overview_units(request.user)
    # Each panel's context may carry an ``order`` (governance/hooks.py): what is most urgent first.
    panels = sorted(
        render_panels("home_panel", user=request.user), key=lambda panel: panel[1].get("order", 100)
    )
    context = {"level": level, "units": units, "panels": panels}
    if can_review(request.user):
        # The county desk: the review queue's oldest items and its count (also the navigation's).
        items, count = review.review_queue(request.user, limit=review.HOME_LIMIT)
        request.review_count = count
        context.update(queue=items, queue_count=count)
    if request.user.role == Role.TOWNSHIP_STAFF:
        # A township has a few dozen villages at most: list them all on the staff's start page.
        context["villages"] = villages_visible_to(request.user).filter(valid_to__isnull=True).order_by("code")
    return render(request, "home.html", context)


def _may_see_queue(user) -> bool:
    """County officials act on their county's queue; admins read every county's; townships have none."""
    return can_review(user) or sees_everything(user)


def _render_review(request, *, failed: dict | None = None, status: int = 200):
    items, count = review.review_queue(request.user)
    request.review_count = count
    context = {
        "items": items,
        "count": count,
        "may_act": can_review(request.user),
        "show_county": sees_everything(request.user),
        "failed": failed or {},
    }
    return render(request, "review.html", context, status=status)


@require_safe
@login_required
def review_queue(request):
    """审核待办: everything waiting for the county official, oldest first, with its age in days."""
    if not _may_see_queue(request.user):
        raise PermissionDenied
    return _render_review(request)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def review_act(request, key, action):
    """Approve or return one queue item through its app's service, then back to the queue (PRG).
    A refusal (a return without a reason) re-renders the queue with the message and the typed
    values kept (400); nothing is changed. A GET (reloading that page) leads back to the queue."""
    if not can_review(request.user):
        raise PermissionDenied
    if action not in ("approve", "return"):
        raise Http404
    if request.method != "POST":
        return redirect("review")
    reason = request.POST.get("reason", "")
    try:
        message = review.review_act(user=request.user, key=key, action=action, reason=reason)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        messages.error(request, error)
        return _render_review(request, failed={"key": key, "reason": reason, "error": error}, status=400)
    if message is None:
        raise Http404
    messages.success(request, message)
    return redirect("review")


@never_cache
@require_safe
def healthz(request):
    """200 ``ok`` when PostgreSQL answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@login_required
def dashboard(request):
    """County dashboard: each app's ``dashboard_panel`` for the user's jurisdiction and the period the
    URL names (``?period=2026-10`` / ``2026-Q3`` / ``2026``, default the month being collected); an
    unknown period is a 400 with a sentence. ``?export=xlsx`` writes each table of the page as a sheet.

    An admin of a deployment with several counties first sees the province: each app's
    ``province_panel`` (a figure per county) and the counties; ``?county=<code>`` opens one county's
    dashboard, the same sections its officials see. A province's 3,000 townships in every panel cost
    seconds and no reader can take them in (bench/README.md)."""
    today = timezone.localdate()
    raw = request.GET.get("period") or ""
    try:
        period = parse_period(raw) if raw else collected_month(today)
    except BadPeriod as bad:
        return render(request, "400.html", {"message": bad.message}, status=400)
    reader, county, counties = _dashboard_reader(request)
    province = county is None and len(counties) > 1
    if request.GET.get("export"):
        panels = render_panels("dashboard_panel", user=reader, period=period)
        if province:
            panels = render_panels("province_panel", user=reader, period=period) + panels
        tables = [table for _template, ctx in panels for table in ctx.get("tables", ())]
        name = f"{gettext('县级看板')}{county.name if county else ''}{period.key}"
        return export_sheets(request, tables, filename=name)
    query = {"county": county.code} if county else {}
    context = {
        "period": period,
        "county": county,
        "counties": counties if len(counties) > 1 else [],
        "province": province,
    }
    scope = _figures_scope(reader, period, province)

    def content() -> str:
        return render_to_string(
            "includes/dashboard_content.html",
            {
                **context,
                **_dashboard_figures(request, reader, period, scope, province=province),
                "period_options": period_select_options(today, period),
                "previous": period.shifted(-1),
                "next": period.shifted(1) if period.shifted(1).start <= today else None,
                "county_query": urlencode(query),
            },
            request=request,
        )

    # Figures inside figures: the page (per user, governance/pages.py), the content below the
    # navigation (per scope) and each section, so a write recomputes the sections it changed and
    # the content and page around the others' cached HTML.
    parts = (*scope, county and county.code, tuple((c.code, c.name) for c in context["counties"]))

    def page() -> HttpResponse:
        known = figures.numbers_for(request)
        context["content"] = figures.cached_html("dashboard", parts, content, known=known)
        return render(request, "dashboard.html", context)

    return cached_page(request, "dashboard", parts, page)


def _dashboard_reader(request):
    """``(reader, county, counties)``: whom the sections are computed for, the county an admin
    opened (``?county=``, else None) and the counties an admin may open (empty for other roles,
    whose ``?county=`` is ignored: their jurisdiction is their own). An unknown county is a 404."""
    user = request.user
    if not sees_everything(user):
        return user, None, []
    counties = list(
        counties_visible_to(user).filter(valid_to__isnull=True).order_by("code").only("code", "name")
    )
    code = request.GET.get("county") or ""
    if not code:
        return user, None, counties
    county = next((c for c in counties if c.code == code), None)
    if county is None:
        raise Http404
    return county_reader(user, county), county, counties


def _figures_scope(reader, period, province: bool) -> tuple:
    """What the dashboard's figures depend on besides the records: the jurisdiction, the period, the
    language and the day (what is overdue and the month being collected change at midnight without
    any write; no section reads the time of day)."""
    return (
        reader.role,
        reader.county_id,
        reader.township_id,
        sees_everything(reader),
        province,
        period.key,
        get_language(),
        timezone.localdate().isoformat(),
    )


def _dashboard_figures(request, reader, period, scope: tuple, *, province: bool) -> dict:
    """The dashboard's sections as HTML, each computed again only after a committed write to the
    tables it reads (governance/figures.py): a clerk's submitted report recomputes the supervision
    section, the others come from the cache."""
    known = figures.numbers_for(request)
    sections = []
    hook_name = "province_panel" if province else "dashboard_panel"
    for label, hook in app_hooks_with_labels(hook_name):

        def compute(hook=hook) -> str:
            panel = hook(user=reader, period=period)
            if panel is None:
                return ""
            template, ctx = panel
            return render_to_string(template, {"panel": ctx}, request=request)

        sections.append(figures.cached_html(f"{hook_name}:{label}", scope, compute, known=known))

    def units_table() -> str:
        level, units = overview_units(reader)
        units = list(units)
        return render_to_string(
            "includes/units_table.html",
            {
                "level": level,
                "units": units,
                "show_total": True,
                "village_total": sum(unit.village_count for unit in units),  # the aggregated rows
            },
            request=request,
        )

    sections.append(figures.cached_html("units", scope, units_table, known=known))
    return {"sections": [section for section in sections if section]}


@requires_csrf_token
def server_error(request):
    """handler500: an unreachable database is "try again later" (503), anything else a plain 500.
    Renders without the database (no user, no context processors), since it may be the cause."""
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        return database_unavailable_response()
    if isinstance(error, IntegrityError):
        return conflict_response()
    return HttpResponseServerError(get_template("500.html").render({}))
