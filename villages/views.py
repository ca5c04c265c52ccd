from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from governance.exports import Column
from governance.filtering import unit_label
from governance.history import history_entries
from governance.hooks import render_panels
from governance.listing import filtered_list
from governance.scoping import get_visible_or_404
from villages.filters import VillageFilter
from villages.models import PartyBranch
from villages.selectors import townships_visible_to, villages_visible_to

# The most village options one request returns (a county has a few hundred villages).
VILLAGE_OPTIONS_LIMIT = 500

VILLAGE_COLUMNS = [
    Column(_("区划代码"), lambda v: v.code),
    Column(_("名称"), lambda v: v.name),
    Column(_("藏文名称"), lambda v: v.name_bo),
    Column(_("类型"), lambda v: v.get_kind_display()),
    Column(_("乡镇（街道）"), lambda v: v.township.name),
    Column(_("县（市）"), lambda v: v.township.county.name),
    Column(_("起始日期"), lambda v: v.valid_from),
    Column(_("终止日期"), lambda v: v.valid_to),
]


@require_safe
@login_required
def village_list(request):
    return filtered_list(
        request,
        queryset=villages_visible_to(request.user).order_by("township__code", "code"),
        filterset_class=VillageFilter,
        columns=VILLAGE_COLUMNS,
        filename="村（社区）名录",
        template="villages/village_list.html",
        partial_template="villages/_village_table.html",
    )


@require_safe
@login_required
def village_detail(request, code):
    village = get_visible_or_404(villages_visible_to(request.user), code=code)
    branch = village.branches.filter(kind=PartyBranch.Kind.VILLAGE).first()
    context = {
        "village": village,
        "branch": branch,
        "panels": render_panels("village_panel", village=village, user=request.user),
        "history": history_entries(village, branch),
    }
    return render(request, "villages/village_detail.html", context)


@require_safe
def branch_register_redirect(request):
    """/villages/branches/ → /branches/, the query string (filters, export) kept."""
    target = reverse("branches:branch_list")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


@require_safe
@login_required
def village_options(request):
    """The village options of a filter as JSON, for the village drop-down that follows the chosen
    township (``static/js/pickers.js``): ``?township=CODE`` gives that township's villages, a
    township outside the user's jurisdiction answers 404; without it, every village the user may
    read. Ended villages are marked, as in the filters."""
    villages = villages_visible_to(request.user).order_by("code")
    code = request.GET.get("township", "")
    if code:
        if not (code.isascii() and code.isdigit() and len(code) == 12):
            raise Http404
        township = get_visible_or_404(townships_visible_to(request.user), code=code)
        villages = villages.filter(township=township)
    results = [{"value": v.code, "text": unit_label(v)} for v in villages[:VILLAGE_OPTIONS_LIMIT]]
    return JsonResponse({"results": results})
