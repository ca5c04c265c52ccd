"""Reads of 五公开, scoped to the user's jurisdiction (DESIGN §1), and the public board's reads.

"Disclosed in a quarter" (the one rule, ``disclosed_in``): a **published** disclosure (not a draft,
not withdrawn) whose posted date (公开日期) falls in the quarter; with a category, of that category.
"Which villages have not disclosed" counts current villages (not dissolved) only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from disclosures.models import Disclosure, DisclosureCorrection, FinanceLine
from governance.periods import QUARTER, Period
from governance.scoping import scope
from villages.models import County, Township, Village
from villages.selectors import townships_visible_to, villages_visible_to

PUBLIC_LIMIT = 60  # the newest disclosures a village's board section lists


def quarter_of(day: dt.date) -> Period:
    return Period(QUARTER, day.year, (day.month - 1) // 3 + 1)


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    return scope(
        Disclosure.objects.select_related("village__township__county", "created_by"),
        user,
        township_path="village__township",
    )


def disclosure_detail_for(user) -> QuerySet[Disclosure]:
    return (
        disclosures_visible_to(user)
        .select_related("published_by")
        .prefetch_related(
            Prefetch("lines", queryset=FinanceLine.objects.order_by("kind", "position", "pk")),
            Prefetch("corrections", queryset=DisclosureCorrection.objects.select_related("corrected_by")),
        )
    )


def split_lines(disclosure: Disclosure) -> tuple[list[FinanceLine], list[FinanceLine]]:
    """(income lines, expenditure lines) of a disclosure read with its lines prefetched: no query."""
    lines = list(disclosure.lines.all())
    return (
        [line for line in lines if line.kind == FinanceLine.Kind.INCOME],
        [line for line in lines if line.kind == FinanceLine.Kind.EXPENDITURE],
    )


LINE_HISTORY_LIMIT = 200


def line_history(disclosure: Disclosure) -> list:
    """The finance lines' history rows (added and removed on each save of the draft, kept after the
    line is gone), newest first: one query."""
    return list(
        FinanceLine.history.filter(disclosure_id=disclosure.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:LINE_HISTORY_LIMIT]
    )


def writable_villages(user) -> QuerySet[Village]:
    """Villages township staff may post for: their township's current villages."""
    if not getattr(user, "township_id", None):
        return Village.objects.none()
    return (
        villages_visible_to(user).filter(township_id=user.township_id, valid_to__isnull=True).order_by("code")
    )


def disclosed_in(period: Period, category: str = "", *, prefix: str = "") -> Q:
    """The rule: published, posted within ``period`` (and of ``category`` when given)."""
    q = Q(
        **{
            f"{prefix}state": Disclosure.State.PUBLISHED,
            f"{prefix}posted_on__gte": period.start,
            f"{prefix}posted_on__lte": period.end,
        }
    )
    if category:
        q &= Q(**{f"{prefix}category": category})
    return q


def _disclosed_exists(period: Period, category: str):
    return Exists(Disclosure.objects.filter(disclosed_in(period, category), village=OuterRef("pk")))


def missing_villages(
    user,
    *,
    period: Period,
    category: str = "",
    township: Township | None = None,
    county: County | None = None,
):
    """Current villages in scope (of ``township``, or of ``county``, when given) with no disclosure
    in ``period``: one query."""
    villages = villages_visible_to(user).filter(valid_to__isnull=True)
    if township is not None:
        villages = villages.filter(township=township)
    if county is not None:
        villages = villages.filter(township__county=county)
    return villages.filter(~_disclosed_exists(period, category)).order_by("township__code", "code")


@dataclass
class Coverage:
    township: Township
    villages: int = 0
    disclosed: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def unit(self):
        """The township (or, in ``coverage_by_county``, the county) counted."""
        return self.township

    @property
    def missing(self) -> int:
        return self.villages - self.disclosed

    @property
    def percent(self) -> Decimal | None:
        """disclosed / villages in percent, one decimal, half up; None without villages."""
        if not self.villages:
            return None
        value = Decimal(self.disclosed * 100) / Decimal(self.villages)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage_by_township(
    user, *, period: Period, category: str = "", county: County | None = None
) -> list[Coverage]:
    """Per current township in scope (of ``county`` when given): current villages and how many of
    them disclosed in ``period`` (of ``category``): two queries."""
    current = townships_visible_to(user).filter(valid_to__isnull=True)
    if county is not None:
        current = current.filter(county=county)
    townships = list(
        current.annotate(village_count=Count("villages", filter=Q(villages__valid_to__isnull=True))).order_by(
            "county__code", "code"
        )
    )
    counts = dict(
        _disclosed_villages(current, period, category).values_list("township_id").annotate(n=Count("pk"))
    )
    return [Coverage(t, t.village_count, counts.get(t.pk, 0)) for t in townships]


def coverage_by_county(user, *, period: Period, category: str = "") -> list[Coverage]:
    """``coverage_by_township`` added up per county (an admin's first level across a province; the
    county stands in ``Coverage.township``): two queries."""
    current = townships_visible_to(user).filter(valid_to__isnull=True)
    counties = list(
        County.objects.filter(pk__in=current.values("county_id"))
        .annotate(
            village_count=Count(
                "townships__villages",
                filter=Q(townships__valid_to__isnull=True, townships__villages__valid_to__isnull=True),
            )
        )
        .order_by("code")
    )
    counts = dict(
        _disclosed_villages(current, period, category)
        .values_list("township__county_id")
        .annotate(n=Count("pk"))
    )
    return [Coverage(c, c.village_count, counts.get(c.pk, 0)) for c in counties]


def _disclosed_villages(townships: QuerySet[Township], period: Period, category: str) -> QuerySet[Village]:
    """Current villages of ``townships`` that disclosed in ``period`` (of ``category``)."""
    return (
        Village.objects.filter(township__in=townships.order_by().values("pk"), valid_to__isnull=True)
        .filter(_disclosed_exists(period, category))
        .order_by()
    )


def visible_township(user, code: str) -> Township | None:
    return townships_visible_to(user).filter(code=code).first()


# ---------------------------------------------------------------- the public board (no login)


def public_disclosures() -> QuerySet[Disclosure]:
    """What the board shows: published and withdrawn (marked) disclosures; drafts never."""
    return Disclosure.objects.filter(
        state__in=[Disclosure.State.PUBLISHED, Disclosure.State.WITHDRAWN]
    ).select_related("village__township__county")


def public_detail() -> QuerySet[Disclosure]:
    return public_disclosures().prefetch_related(
        Prefetch("lines", queryset=FinanceLine.objects.order_by("kind", "position", "pk")),
        Prefetch("corrections", queryset=DisclosureCorrection.objects.order_by("corrected_at", "pk")),
    )


def public_for_village(village: Village) -> list[Disclosure]:
    """The newest ``PUBLIC_LIMIT`` public disclosures of ``village``, newest first: one query."""
    return list(
        Disclosure.objects.filter(
            village=village, state__in=[Disclosure.State.PUBLISHED, Disclosure.State.WITHDRAWN]
        ).order_by("-posted_on", "-pk")[:PUBLIC_LIMIT]
    )
