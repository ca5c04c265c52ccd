"""Input refused at the edge of every request, before a view or the database sees it.

- A NUL byte anywhere in the path, the query string or a posted form: PostgreSQL cannot store or
  compare text holding one, so a view that filters by the value would fail. No browser sends it.
- In the Django admin, the keys the admin passes to the database without checking them: ticked rows
  of a list action (``_selected_action``), the picked rows of autocomplete and raw-id fields, and the
  year/month/day of a date filter. A browser sends only well-formed ones; anything else is a 400.

Found by the fuzz test (tests/test_fuzz.py); tests/governance/test_boundary.py states each rule.
"""

from __future__ import annotations

import re

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

NUL_IN_REQUEST = _("请求中含有空字符（NUL），无法处理。")
BAD_ADMIN_KEY = _("提交的记录编号无效。")
BAD_ADMIN_DATE = _("日期筛选条件无效。")

# Date parts of admin list filters (``created_at__year=2026``): Python's datetime takes years 1-9999.
DATE_PARTS = {"year", "iso_year", "quarter", "month", "week", "week_day", "iso_week_day", "day"}
SMALL_NUMBER = re.compile(r"[0-9]{1,4}")


def _bad_request(message) -> HttpResponse:
    return HttpResponse(str(message), status=400, content_type="text/plain; charset=utf-8")


def has_nul(request) -> bool:
    """A NUL byte in the path or in any name or value of the query string or posted form."""
    if "\x00" in request.path_info:
        return True
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for d in sources
        for key, values in d.lists()
    )


def _valid_key(field, value: str) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def admin_keys_valid(request, model_admin) -> bool:
    """The row keys an admin view would pass to the database unchecked are keys of the right shape."""
    opts = model_admin.model._meta
    keys = {ACTION_CHECKBOX_NAME: (opts.pk, False)}
    for name in (*model_admin.get_autocomplete_fields(request), *model_admin.raw_id_fields):
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        # A raw-id field for many rows posts them comma-separated.
        keys[name] = (field.target_field, field.many_to_many and name in model_admin.raw_id_fields)
    for name, (field, comma_separated) in keys.items():
        for raw in request.POST.getlist(name):
            values = raw.split(",") if comma_separated else [raw]
            if not all(_valid_key(field, value) for value in values if value.strip()):
                return False
    return True


def admin_date_filters_valid(request) -> bool:
    """``…__year=99999999999`` would overflow Python's datetime inside the admin's list query."""
    for key, values in request.GET.lists():
        if key.rsplit("__", 1)[-1] in DATE_PARTS and not all(SMALL_NUMBER.fullmatch(v) for v in values if v):
            return False
    return True


class InputBoundaryMiddleware:
    """Answers 400 to the input described in the module docstring. After the request-size limit (it
    reads the posted form) and before sessions and users (a refused request costs no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return _bad_request(NUL_IN_REQUEST)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)  # set by ModelAdmin.get_urls
        if model_admin is None:
            return None
        if request.method == "POST" and not admin_keys_valid(request, model_admin):
            return _bad_request(BAD_ADMIN_KEY)
        if not admin_date_filters_valid(request):
            return _bad_request(BAD_ADMIN_DATE)
        return None
