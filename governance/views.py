from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, IntegrityError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from governance.hooks import render_panels
from governance.middleware import conflict_response, database_unavailable_response, is_database_unavailable
from governance.roles import Role
from villages.selectors import overview_units, villages_visible_to


@require_safe
@login_required
def home(request):
    """Each role's start page: their jurisdiction's units and whatever the apps say is due."""
    level, units = overview_units(request.user)
    context = {"level": level, "units": units, "panels": render_panels("home_panel", user=request.user)}
    if request.user.role == Role.TOWNSHIP_STAFF:
        # A township has a few dozen villages at most: list them all on the staff's start page.
        context["villages"] = villages_visible_to(request.user).filter(valid_to__isnull=True).order_by("code")
    return render(request, "home.html", context)


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
    """County dashboard: each app adds its roll-up for the user's jurisdiction ([6/7] fills it out)."""
    level, units = overview_units(request.user)
    units = list(units)
    context = {
        "level": level,
        "units": units,
        "village_total": sum(unit.village_count for unit in units),  # adds up the aggregated rows
        "panels": render_panels("dashboard_panel", user=request.user),
    }
    return render(request, "dashboard.html", context)


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
