"""/settings/ (DESIGN §7): the county's local policy, one section per app (``settings_panel`` hook).

County officials see and change their county's rows; another county's settings answer 404, like any
record outside the jurisdiction; township staff 403. Admins pick a county with ``?county=<code>``
(none: the deployment default). governance imports no app: the County model is reached through
the user model's ``county`` field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from governance.hooks import render_panels
from governance.models import User
from governance.roles import Role


def _county_for(request):
    """The county whose settings the page shows (None: the default, admins only)."""
    user = request.user
    code = request.GET.get("county", "").strip()
    county_model = User._meta.get_field("county").related_model
    if user.role == Role.ADMIN:
        if not code:
            return None
        county = county_model.objects.filter(code=code).first()
        if county is None:
            raise Http404
        return county
    if user.role != Role.COUNTY_OFFICIAL:
        raise PermissionDenied
    if code and code != user.county.code:
        raise Http404  # another county's settings: outside the jurisdiction
    return user.county


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request):
    county = _county_for(request)
    data = request.POST if request.method == "POST" else None
    panels = render_panels("settings_panel", user=request.user, county=county, data=data)
    for _template, context in panels:
        if context.get("saved"):
            messages.success(request, context["message"])
            query = (
                f"?{urlencode({'county': county.code})}"
                if county is not None and "county" in request.GET
                else ""
            )
            return HttpResponseRedirect(request.path + query)
    invalid = any(context["form"].is_bound and context["form"].errors for _t, context in panels)
    counties = []
    if request.user.role == Role.ADMIN:
        counties = User._meta.get_field("county").related_model.objects.order_by("code")[:500]
    context = {"county": county, "panels": panels, "counties": counties}
    return render(request, "settings.html", context, status=400 if invalid else 200)
