"""Sections of shared pages (governance/hooks.py): the village page and the branch page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from governance.review import ReviewItem
from governance.roles import Role, can_edit_records
from governance.scoping import get_visible_or_404, scope
from standards import selectors, services
from standards.models import Review

REVIEW_KEY = "standards.review"


def village_panel(*, village, user):
    """The village's compliance per area and in total (two queries)."""
    return (
        "standards/_village_panel.html",
        {"village": village, "row": selectors.village_compliance(village)},
    )


def branch_panel(*, branch, user):
    """The branch's yearly reviews (one query); township staff of the owner township may add one."""
    reviews = list(
        selectors.reviews_visible_to(user).filter(branch=branch).order_by("-year")
        if user.is_authenticated
        else Review.objects.none()
    )
    may_add = bool(getattr(user, "township_id", None) == branch.township_id and can_edit_records(user))
    return ("standards/_branch_panel.html", {"branch": branch, "reviews": reviews, "may_add": may_add})


def _waiting(user):
    return (
        selectors.reviews_visible_to(user).filter(state=Review.State.SUBMITTED).order_by("submitted_at", "pk")
    )


def review_items(*, user, limit):
    """Submitted six-standardization reviews waiting for confirmation, oldest first (one query, a
    second for the count only when the list is full)."""
    if user.role not in (Role.COUNTY_OFFICIAL, Role.ADMIN) and not user.is_superuser:
        return None
    reviews = list(_waiting(user)[:limit])
    items = [
        ReviewItem(
            kind=_("六个标准化考评"),
            record=_("%(year)s年度") % {"year": r.year},
            place=_("%(place)s（%(township)s）")
            % {"place": r.branch.name, "township": r.branch.township.name},
            county=r.branch.township.county.name,
            submitted_at=r.submitted_at,
            url=reverse("standards:review_detail", args=[r.public_id]),
            key=f"{REVIEW_KEY}:{r.public_id}",
            approve_label=_("确认"),
            return_label=_("退回"),
        )
        for r in reviews
    ]
    count = len(items) if len(items) < limit else review_count(user=user).count()
    return items, count


def review_count(*, user):
    """The rows the navigation counts (governance counts every app's in one query)."""
    waiting = Review.objects.order_by().filter(state=Review.State.SUBMITTED)
    return scope(waiting, user, township_path="branch__township").values_list("pk")


def review_act(*, user, key, action, reason):
    """Confirm or return a submitted review from the queue (standards.services)."""
    prefix, _sep, public_id = key.partition(":")
    if prefix != REVIEW_KEY:
        return None
    review = get_visible_or_404(selectors.reviews_visible_to(user), public_id=public_id)
    if action == "approve":
        services.review_confirm(review=review, user=user)
        return _("%(review)s考评已确认。") % {"review": review}
    services.review_return(review=review, user=user, reason=reason)
    return _("%(review)s考评已退回。") % {"review": review}


def dashboard_panel(*, user, period=None):
    """Six standardizations on the county dashboard: per township the mean total of the period's
    year's confirmed reviews, lowest first (townships without one last), and the areas scoring
    lowest; each figure links to the confirmed reviews behind it (two queries)."""
    from urllib.parse import urlencode

    from django.utils import timezone

    from governance.charts import Bar, bar_chart, level, rank_rows, township_table

    year = period.year if period else timezone.localdate().year
    rows = selectors.township_ranking(user, year=year)
    base = reverse("standards:review_list")
    for row in rows:
        row.level = level(row.mean, bad=STANDARDS_BAD_BELOW, warn=STANDARDS_WARN_BELOW)
    areas = selectors.area_means(user, year=year)
    confirmed = f"{base}?{urlencode({'year': year, 'state': 'confirmed'})}"
    area_rows = [
        {"area": area, "mean": mean, "reviews": n, "href": f"{confirmed}&{urlencode({'area': area.value})}"}
        for area, mean, n in areas
    ]
    many_counties = user.role == Role.ADMIN

    def link(row):
        row.href = f"{base}?{urlencode({'year': year, 'township': row.township.code, 'state': 'confirmed'})}"

    rows, shown = rank_rows(
        rows, key=lambda r: r.mean, name=lambda r: r.township.code, many_counties=many_counties, link=link
    )
    chart = bar_chart(
        _("各乡镇六个标准化考评平均分（%(year)s年）") % {"year": year},
        [
            Bar(
                label=row.township.name,
                value=row.mean,
                text="—" if row.mean is None else str(row.mean),
                css=row.level,
                href=row.href,
            )
            for row in shown
        ],
        maximum=100,
        thresholds=(STANDARDS_BAD_BELOW, STANDARDS_WARN_BELOW),
    )
    tables = [
        township_table(
            _("六个标准化平均分"),
            [_("乡镇（街道）"), _("已确认考评"), _("平均分")],
            rows,
            cells=lambda r: [r.township.name, r.reviews, r.mean],
            many_counties=many_counties,
            county=lambda r: r.township.county.name,
        ),
        {
            "title": _("六个标准化各领域平均分"),
            "headers": [_("领域"), _("已确认考评"), _("平均分")],
            "rows": [[str(item["area"].label), item["reviews"], item["mean"]] for item in area_rows],
        },
    ]
    context = {
        "year": year,
        "rows": shown,
        "row_total": len(rows),
        "areas": area_rows,
        "chart": chart,
        "many_counties": many_counties,
        "tables": tables,
    }
    return ("standards/_dashboard_panel.html", context)


# Six-standardization mean score colours on the dashboard: below 60 red (a fail), below 80 amber.
STANDARDS_BAD_BELOW = 60
STANDARDS_WARN_BELOW = 80
