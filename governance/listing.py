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
    page = Paginator(objects, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    ctx = {
        "filter": filterset,
        "page_obj": page,
        "object_list": page.object_list,
        "querystring": query.urlencode(),
        "partial_template": partial_template,
        **(context or {}),
    }
    if partial_template and request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, partial_template, ctx)
    return render(request, template, ctx)
