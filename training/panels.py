"""Sections of shared pages (governance/hooks.py): the county dashboard, the village page, the
reserve cadre page (``person_training``) and /settings/ (the yearly class target)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.charts import level, percent_chart, rank_rows, township_table
from governance.policy import policy_panel
from governance.roles import Role
from training import selectors
from training.models import AttendanceStatus, TrainingTarget

# Coverage colours (percent): below 70 red, below 90 amber (training.views uses the same).
COVERAGE_BAD_BELOW = 70
COVERAGE_WARN_BELOW = 90


def dashboard_panel(*, user, period=None):
    """Training coverage of the period's year per township, worst first; each figure links to the
    list of the people not yet trained, which lists exactly that many (three queries)."""
    year = period.year if period else timezone.localdate().year
    rows, _totals = selectors.coverage(user, year=year)
    for row in rows:
        row.level = level(row.percent, bad=COVERAGE_BAD_BELOW, warn=COVERAGE_WARN_BELOW)
    base = reverse("training:untrained")

    def link(row):
        row.href = f"{base}?{urlencode({'year': year, 'township': row.unit.code})}"

    many_counties = user.role == Role.ADMIN or user.is_superuser
    rows, shown = rank_rows(
        rows, key=lambda r: r.percent, name=lambda r: r.unit.code, many_counties=many_counties, link=link
    )
    chart = percent_chart(
        _("各乡镇培训覆盖率（%(year)s年）") % {"year": year},
        shown,
        label=lambda r: r.unit.name,
        value=lambda r: r.percent,
        href=lambda r: r.href,
        css=lambda r: r.level,
        thresholds=(COVERAGE_BAD_BELOW, COVERAGE_WARN_BELOW),
    )
    tables = [
        township_table(
            _("培训覆盖率"),
            [_("乡镇（街道）"), _("应参训"), _("已参训"), _("未参训"), _("覆盖率")],
            rows,
            cells=lambda r: [
                r.unit.name,
                r.expected,
                r.trained,
                r.untrained,
                "" if r.percent is None else f"{r.percent}%",
            ],
            many_counties=many_counties,
            county=lambda r: r.county.name,
        )
    ]
    context = {
        "year": year,
        "rows": shown,
        "row_total": len(rows),
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
    }
    return ("training/_dashboard_panel.html", context)


def village_panel(*, village, user):
    """Whether the village's secretary, director and first secretary attended a class this year
    (three queries)."""
    year = timezone.localdate().year
    return (
        "training/_village_panel.html",
        {"village": village, "year": year, "people": selectors.village_coverage(village, year=year)},
    )


def person_training(*, person, user):
    """The classes ``person`` attended or missed (the reserve cadre page): one query."""
    attendances = list(selectors.person_attendances(person))
    visible = (
        set(
            selectors.classes_visible_to(user)
            .filter(pk__in=[a.training_class_id for a in attendances])
            .values_list("pk", flat=True)
        )
        if attendances
        else set()
    )
    for attendance in attendances:
        attendance.visible = attendance.training_class_id in visible
    return (
        "training/_person_training.html",
        {
            "person": person,
            "attendances": attendances,
            "attended": AttendanceStatus.ATTENDED,
            "list_url": reverse("training:class_list") + "?audience=reserve",
        },
    )


def settings_panel(*, user, county, data=None):
    return policy_panel(
        TrainingTarget,
        section="training",
        title=gettext_lazy("县级培训班年度目标"),
        note=gettext_lazy("每年按该年1月1日有效的目标判断：年中的修改从下一年度起适用。"),
        schedule_path="training.services.target_schedule",
        user=user,
        county=county,
        data=data,
    )
