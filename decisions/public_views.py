"""The public disclosure board: no login, only disclosed matters, no personal data (DESIGN §6)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from decisions.selectors import (
    public_counties,
    public_matters,
    public_township_units,
    public_townships,
    public_village_units,
    public_villages,
    public_years,
)
from decisions.views import notice_context
from governance.hooks import render_panels


class BoardSearchForm(forms.Form):
    # The one search box finds villages by name and matters by title (``village`` stays the
    # parameter's name so that earlier links keep working).
    village = forms.CharField(
        label=_("村（社区）名称"),
        max_length=60,
        required=False,
        help_text=_("也可输入事项名称中的字词。"),
    )
    year = forms.TypedChoiceField(label=_("公开年度"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [(y, str(y)) for y in public_years()]

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("village"):
            text = data["village"].strip()
            queryset = queryset.filter(Q(village__name__contains=text) | Q(title__contains=text))
        if data.get("year"):
            queryset = queryset.filter(resolution_disclosed_on__year=data["year"])
        return queryset


def _page(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def board_index(request):
    context = {"counties": public_counties(), "search_form": BoardSearchForm()}
    return render(request, "decisions/public/index.html", context)


@require_safe
def board_county(request, code):
    county = get_object_or_404(public_counties(), code=code)
    context = {"county": county, "townships": public_townships(county), "search_form": BoardSearchForm()}
    return render(request, "decisions/public/county.html", context)


@require_safe
def board_township(request, code):
    township = get_object_or_404(public_township_units(), code=code)
    context = {"township": township, "villages": public_villages(township), "search_form": BoardSearchForm()}
    return render(request, "decisions/public/township.html", context)


@require_safe
def board_village(request, code):
    village = get_object_or_404(public_village_units(), code=code)
    form = BoardSearchForm(request.GET or None)
    matters = public_matters().filter(village=village)
    if form.is_bound and form.is_valid():
        matters = form.apply(matters)
    context = {"village": village, "search_form": form, "page_obj": _page(request, matters)}
    context["querystring"] = _querystring(request)
    # Other apps' public records of the village (五公开 disclosures, village rules) beside the matters.
    context["panels"] = render_panels("public_panel", village=village)
    return render(request, "decisions/public/village.html", context)


@require_safe
def board_search(request):
    form = BoardSearchForm(request.GET or None)
    matters = form.apply(public_matters()) if form.is_bound and form.is_valid() else public_matters().none()
    context = {"search_form": form, "page_obj": _page(request, matters), "querystring": _querystring(request)}
    return render(request, "decisions/public/search.html", context)


@require_safe
def board_matter(request, public_id):
    """The notice of one disclosed matter; anything not yet disclosed is simply not found."""
    matter = get_object_or_404(public_matters(), public_id=public_id)
    context = notice_context(matter, back=reverse("public:village", kwargs={"code": matter.village.code}))
    context["public"] = True
    return render(request, "decisions/notice.html", context)
