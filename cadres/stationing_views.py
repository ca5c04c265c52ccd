"""First-secretary pages ([9/10]): the county list of villages with and without a first secretary,
recording one, a stationing's page (history, corrections), 离任 (with a confirmation page) and
corrections. Writes are for the staff of the village's township (``governance.roles.may_write_for``):
a stationing outside the user's jurisdiction is 404, a read-only role gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cadres import stationing as st
from cadres.selectors import people_visible_to
from cadres.stationing_forms import (
    FIRST_SECRETARY_COLUMNS,
    FirstSecretaryFilter,
    StationingEndForm,
    StationingForm,
)
from cadres.views import _confirm_page, _confirm_step, _correction_page, _dry_run, _form_page, _initial, _save
from governance.exports import export_response
from governance.history import history_entries
from governance.listing import list_context, render_list
from governance.permissions import editor_required
from governance.roles import can_edit_records, may_write_for
from governance.scoping import get_visible_or_404
from villages.selectors import villages_visible_to


def _stationing(request, public_id):
    return get_visible_or_404(st.stationings_visible_to(request.user), public_id=public_id)


def _detail_url(stationing) -> str:
    return reverse("cadres:stationing_detail", args=[stationing.public_id])


@require_safe
@login_required
def first_secretary_list(request):
    """/cadres/first-secretaries/: the user's villages (not abolished), each with its first secretary
    today or none; counts "有 N 村，无 M 村" over the township and name filters."""
    today = timezone.localdate()
    villages = villages_visible_to(request.user).filter(valid_to__isnull=True)
    queryset = st.villages_with_first_secretary(villages, today).order_by("township__code", "code")
    filterset = FirstSecretaryFilter(request.GET, queryset=queryset, request=request)
    if filterset.is_valid():
        objects = filterset.qs
        # The counts answer "how many with, how many without" for the other filters chosen.
        counted = FirstSecretaryFilter(
            {k: v for k, v in request.GET.items() if k != "has"}, queryset=queryset, request=request
        ).qs
        counts = st.first_secretary_counts(counted, today)
    else:
        objects = queryset.none()
        counts = {"with": 0, "without": 0}
    exported = export_response(request, objects, columns=FIRST_SECRETARY_COLUMNS, filename="驻村第一书记")
    if exported is not None:
        return exported
    context = {
        **list_context(request, filterset=filterset, objects=objects),
        "counts": counts,
        "today": today,
        "can_create": can_edit_records(request.user),
    }
    return render_list(
        request,
        context,
        template="cadres/stationing_list.html",
        partial_template="cadres/stationing_table.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def stationing_create(request):
    initial = _initial(request, village="village")
    form = StationingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        stationing = _save(form, lambda data: st.stationing_create(user=request.user, **data))
        if stationing:
            messages.success(
                request,
                _("已登记驻村第一书记：%(village)s %(name)s。")
                % {"village": stationing.village.name, "name": stationing.person.name},
            )
            return redirect(_detail_url(stationing))
    return _form_page(request, form, title=_("登记驻村第一书记"), back=reverse("cadres:first_secretary_list"))


@require_safe
@login_required
def stationing_detail(request, public_id):
    stationing = _stationing(request, public_id)
    village = stationing.village
    others = st.stationings_visible_to(request.user).filter(village=village).exclude(pk=stationing.pk)
    context = {
        "stationing": stationing,
        "today": timezone.localdate(),
        "current": stationing.is_current_on(timezone.localdate()),
        "may_edit": may_write_for(request.user, village.township_id),
        "others": others.order_by("-start_date"),
        "corrections": stationing.corrections.select_related("corrected_by"),
        "history": history_entries(stationing),
        "person_visible": people_visible_to(request.user).filter(pk=stationing.person_id).exists(),
    }
    return render(request, "cadres/stationing_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def stationing_end(request, public_id):
    stationing = _stationing(request, public_id)
    form = StationingEndForm(request.POST or None)
    back = _detail_url(stationing)
    title = _("办理离任：%(village)s驻村第一书记%(name)s") % {
        "village": stationing.village.name,
        "name": stationing.person.name,
    }
    end = lambda data: st.stationing_end(user=request.user, stationing=stationing, **data)  # noqa: E731
    confirmed, revise = _confirm_step(request)
    if request.method == "POST" and not revise and form.is_valid() and not confirmed:
        # 离任 cannot be undone: first a confirmation page (nothing is saved yet).
        after = _dry_run(form, end, lambda: "")
        stationing.refresh_from_db()
        if after is not None:
            text = _("%(name)s自%(date)s起不再担任%(village)s驻村第一书记，该村将显示为无驻村第一书记。") % {
                "name": stationing.person.name,
                "date": form.cleaned_data["end_date"].isoformat(),
                "village": stationing.village.name,
            }
            return _confirm_page(
                request,
                form,
                title=title,
                subject=str(stationing),
                action=reverse("cadres:stationing_end", args=[stationing.public_id]),
                after=text,
                back=back,
            )
    elif request.method == "POST" and not revise and _save(form, end):
        messages.success(request, _("已办理离任。"))
        return redirect(back)
    return _form_page(request, form, title=title, back=back, submit=_("下一步"))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def stationing_correct(request, public_id):
    stationing = _stationing(request, public_id)
    return _correction_page(
        request,
        record=stationing,
        service=lambda r, **kw: st.stationing_correct(stationing=r, **kw),
        title=_("更正驻村记录：%(village)s %(name)s")
        % {"village": stationing.village.name, "name": stationing.person.name},
        back=_detail_url(stationing),
    )
