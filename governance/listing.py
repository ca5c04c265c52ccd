"""The list-page pattern every app uses: scoped queryset → filter → export or paginate → render."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from governance.exports import Column, export_response


def filtered_list(
    request,
    *,
    queryset,
    filterset_class,
    columns: list[Column],
    filename: str,
    template: str,
    partial_template: str | None = None,
    filterset_kwargs: dict | None = None,
    context: dict | None = None,
):
    """Render a filtered, paginated list, or its export when ``?export=`` asks for one.

    ``queryset`` must already be scoped to the user (a selector's result). An invalid filter shows
    its error and no rows rather than silently ignoring the bad value. htmx requests get only the
    ``partial_template`` (the table) so filtering does not reload the page.
    """
    filterset = filterset_class(request.GET, queryset=queryset, request=request, **(filterset_kwargs or {}))
    objects = filterset.qs if filterset.is_valid() else queryset.none()
    exported = export_response(request, objects, columns=columns, filename=filename)
    if exported is not None:
        return exported
    ctx = {**list_context(request, filterset=filterset, objects=objects), **(context or {})}
    return render_list(request, ctx, template=template, partial_template=partial_template)


def list_context(request, *, filterset, objects, per_page: int | None = None) -> dict:
    """The page of ``objects`` asked for, and the query string that keeps the filters across pages
    and export links."""
    page = Paginator(objects, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = filterset.data.copy()
    query.pop("page", None)
    query.pop("export", None)
    return {
        "filter": filterset,
        "page_obj": page,
        "object_list": page.object_list,
        "querystring": query.urlencode(),
    }


def render_list(request, context: dict, *, template: str, partial_template: str | None, status: int = 200):
    """The whole page, or only the table for htmx requests (filtering without a reload)."""
    context = {**context, "partial_template": partial_template}
    if partial_template and request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, partial_template, context, status=status)
    return render(request, template, context, status=status)
