"""Training pages: the class list, a class with its attendance, coverage and who is not yet trained."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from governance.charts import level
from governance.exports import Column, export_response
from governance.fields import parse_year
from governance.forms import apply_errors
from governance.history import history_entries
from governance.listing import filtered_list
from governance.roles import Role, can_review, sees_everything
from governance.scoping import get_visible_or_404
from governance.versioning import StaleRecord, form_status, show_stale
from training import selectors, services
from training.filters import ClassFilter
from training.forms import AttendanceForm, ClassForm
from training.models import AttendanceStatus
from training.panels import COVERAGE_BAD_BELOW, COVERAGE_WARN_BELOW
from villages.models import County, Township
from villages.selectors import counties_visible_to, townships_visible_to

CLASS_FIELDS = ("title", "start_date", "end_date", "place", "hours", "audience")

CLASS_COLUMNS = [
    Column(_lazy("县（市）"), lambda c: c.county.name),
    Column(_lazy("主办单位"), lambda c: c.organiser.name),
    Column(_lazy("培训班名称"), lambda c: c.title),
    Column(_lazy("开班日期"), lambda c: c.start_date),
    Column(_lazy("结业日期"), lambda c: c.end_date),
    Column(_lazy("培训地点"), lambda c: c.place),
    Column(_lazy("学时"), lambda c: c.hours),
    Column(_lazy("参训对象"), lambda c: "、".join(c.audience_labels())),
    Column(_lazy("参训人数"), lambda c: c.attended_count),
    Column(_lazy("缺席人数"), lambda c: c.absent_count),
]


def _roles(person) -> str:
    labels = [f"{p.village.name}{p.get_position_display()}" for p in person.covered_posts]
    labels += [f"{s.village.name}{_('驻村第一书记')}" for s in person.covered_stationings]
    return "、".join(dict.fromkeys(labels))


UNTRAINED_COLUMNS = [
    Column(_lazy("姓名"), lambda p: p.name),
    Column(_lazy("性别"), lambda p: p.get_sex_display()),
    Column(_lazy("职务"), _roles),
    Column(_lazy("户籍所在村"), lambda p: p.home_village.name),
]


def _year(request) -> int:
    """``?year=`` (four digits in range), this year when absent; a bad value answers 404."""
    text = request.GET.get("year")
    if not text:
        return timezone.localdate().year
    year = parse_year(text)
    if year is None:
        raise Http404
    return year


def _may_write(user, training_class) -> bool:
    return selectors.may_write_class(
        user, county_id=training_class.county_id, township_id=training_class.township_id
    )


# ---------------------------------------------------------------- classes


@require_safe
@login_required
def class_list(request):
    queryset = selectors.with_attendance_counts(selectors.classes_visible_to(request.user))
    return filtered_list(
        request,
        queryset=queryset.order_by("-start_date", "title", "pk"),
        filterset_class=ClassFilter,
        columns=CLASS_COLUMNS,
        filename="培训班",
        template="training/class_list.html",
        partial_template="training/_class_table.html",
        context={"may_create": selectors.may_create_class(request.user), "year": timezone.localdate().year},
    )


def _form_page(request, form, *, title, back):
    context = {"form": form, "title": title, "back": back}
    return render(request, "training/form.html", context, status=form_status(form))


def _organiser(request, form):
    """(county, township) the new class is organised by: the admin's chosen county, the official's
    county, the township staff's township."""
    user = request.user
    if sees_everything(user):
        return form.cleaned_data["county"], None
    if user.role == Role.COUNTY_OFFICIAL:
        return County.objects.get(pk=user.county_id), None
    township = Township.objects.select_related("county").get(pk=user.township_id)
    return township.county, township


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def class_new(request):
    if not selectors.may_create_class(request.user):
        raise PermissionDenied(_(services.CLASS_NOT_YOURS))
    counties = (
        County.objects.filter(valid_to__isnull=True).order_by("code")
        if sees_everything(request.user)
        else None
    )
    today = timezone.localdate()
    initial = {"start_date": today, "end_date": today}
    form = ClassForm(request.POST or None, counties=counties, initial=initial)
    if request.method == "POST" and form.is_valid():
        county, township = _organiser(request, form)
        try:
            training_class = services.class_create(
                user=request.user,
                county=county,
                township=township,
                **{k: form.cleaned_data[k] for k in CLASS_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增培训班：%(title)s。") % {"title": training_class.title})
            return redirect("training:class_detail", training_class.public_id)
    return _form_page(request, form, title=_("新增培训班"), back=reverse("training:class_list"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def class_edit(request, public_id):
    training_class = get_visible_or_404(selectors.classes_visible_to(request.user), public_id=public_id)
    if not _may_write(request.user, training_class):
        raise PermissionDenied(_(services.CLASS_NOT_YOURS))
    initial = {name: getattr(training_class, name) for name in CLASS_FIELDS}
    form = ClassForm(request.POST or None, record=training_class, initial=initial)
    back = reverse("training:class_detail", args=[training_class.public_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.class_update(
                training_class=training_class,
                user=request.user,
                version=form.cleaned_data["version"],
                **{k: form.cleaned_data[k] for k in CLASS_FIELDS},
            )
        except StaleRecord as exc:
            show_stale(form, exc, url=back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("培训班已保存。"))
            return redirect(back)
    return _form_page(
        request, form, title=_("修改培训班：%(title)s") % {"title": training_class.title}, back=back
    )


def _person_query(request) -> str:
    """The class page's name search (``?q=``) for a person outside the list."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:60]


def _attendance_form(request, training_class, data=None):
    rows = selectors.attendance_rows(training_class)
    query = _person_query(request)
    shown = selectors.people_of_county_named(training_class.county_id, query) if query else []
    people = selectors.people_of_county(training_class.county_id)
    return AttendanceForm(data, rows=rows, people=people, shown=shown)


def _detail_page(request, training_class, *, form=None):
    may_write = _may_write(request.user, training_class)
    if form is None:
        form = _attendance_form(request, training_class) if may_write else None
    rows = form.rows if form is not None else selectors.attendance_rows(training_class)
    attended = sum(1 for r in rows if r.attendance and r.attendance.status == AttendanceStatus.ATTENDED)
    absent = sum(1 for r in rows if r.attendance and r.attendance.status == AttendanceStatus.ABSENT)
    context = {
        "training_class": training_class,
        "rows": rows,
        "form": form,
        "may_write": may_write,
        "attended": attended,
        "absent": absent,
        "history": history_entries(training_class),
        "person_query": _person_query(request),
    }
    return render(request, "training/class_detail.html", context, status=form_status(form) if form else 200)


@require_safe
@login_required
def class_detail(request, public_id):
    training_class = get_visible_or_404(selectors.classes_visible_to(request.user), public_id=public_id)
    return _detail_page(request, training_class)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def class_attendance(request, public_id):
    training_class = get_visible_or_404(selectors.classes_visible_to(request.user), public_id=public_id)
    if request.method != "POST":
        # A reload of the page a refused POST rendered here: the class's page, where the form is.
        return redirect("training:class_detail", public_id=training_class.public_id)
    if not _may_write(request.user, training_class):
        raise PermissionDenied(_(services.CLASS_NOT_YOURS))
    form = _attendance_form(request, training_class, request.POST)
    if form.is_valid():
        try:
            created, changed = services.attendance_record(
                training_class=training_class, user=request.user, entries=form.entries()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("出勤已保存：新登记%(created)s人，修改%(changed)s人。")
                % {"created": created, "changed": changed},
            )
            return redirect("training:class_detail", public_id=training_class.public_id)
    return _detail_page(request, training_class, form=form)


# ---------------------------------------------------------------- coverage


@require_safe
@login_required
def coverage(request):
    year = _year(request)
    # An admin across a province sees the counties first; a county's name opens its townships
    # (``?county=``). One county's officials and staff see their townships as ever.
    visible_counties = counties_visible_to(request.user)
    admin_levels = sees_everything(request.user) and visible_counties.count() > 1
    county = None
    if admin_levels and request.GET.get("county"):
        county = get_visible_or_404(visible_counties, code=request.GET["county"])
    # The first level: the county rows alone (``totals``), each opening its townships.
    per_township = not (admin_levels and county is None)
    rows, totals = selectors.coverage(request.user, year=year, county=county, per_township=per_township)
    base = reverse("training:untrained")
    for row in [*rows, *totals]:
        code_key = "township" if isinstance(row.unit, Township) else "county"
        row.href = f"{base}?year={year}&{code_key}={row.unit.code}"
        row.level = level(row.percent, bad=COVERAGE_BAD_BELOW, warn=COVERAGE_WARN_BELOW)
    show_totals = request.user.role != Role.TOWNSHIP_STAFF
    counties = list(visible_counties.order_by("code")) if show_totals else []
    if county is not None:
        counties = [county]
    elif sees_everything(request.user):
        counties = counties[:30]
    targets = selectors.classes_against_target(request.user, year=year, counties=counties)
    context = {
        "year": year,
        "rows": rows,
        "totals": totals if show_totals else [],
        "targets": targets,
        "day": selectors.coverage_day(year),
        "county_level": admin_levels and county is None,
        "county": county,
        "may_set_target": can_review(request.user) or sees_everything(request.user),
    }
    return render(request, "training/coverage.html", context)


@require_safe
@login_required
def untrained(request):
    """Who is still to be trained in ``year``: in one township (``?township=``), one county
    (``?county=``) or the whole jurisdiction; the count equals the coverage page's figure."""
    year = _year(request)
    townships = townships_visible_to(request.user).filter(valid_to__isnull=True)
    unit = None
    if request.GET.get("township"):
        unit = get_visible_or_404(townships, code=request.GET["township"])
        townships = townships.filter(pk=unit.pk)
    elif request.GET.get("county"):
        unit = get_visible_or_404(counties_visible_to(request.user), code=request.GET["county"])
        townships = townships.filter(county=unit)
    people = selectors.untrained_people(townships.values("pk"), year=year)
    unit_name = unit.name if unit else _("全部")
    exported = export_response(
        request, people, columns=UNTRAINED_COLUMNS, filename=f"{year}年未参训人员_{unit_name}"
    )
    if exported is not None:
        return exported
    if unit is None and sees_everything(request.user):
        counties = list(counties_visible_to(request.user).filter(valid_to__isnull=True).order_by("code"))
        if len(counties) > 1:
            # A province's list (50,000 people ordered by village) waits for a county: sorting and
            # counting them all cost the page its budget. The export above holds everyone.
            context = {"year": year, "unit": None, "counties": counties}
            return render(request, "training/untrained.html", context)
    page = Paginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "year": year,
        "unit": unit,
        "page_obj": page,
        "object_list": page.object_list,
        "querystring": query.urlencode(),
        "rows": [(person, _roles(person)) for person in page.object_list],
    }
    return render(request, "training/untrained.html", context)
