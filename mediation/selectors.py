"""Reads of 人民调解, scoped to the user's jurisdiction (DESIGN §1), and the summary figures.

Two definitions every page, export and test shares (README "People's mediation"):

- **Resolution rate** (``resolution_rate``) = disputes closed with 达成协议 / disputes closed (达成协议
  + 移送 + 未化解), over the disputes received in the year. Open disputes are not in it: a dispute
  received in December and still being mediated is neither a success nor a failure yet.
- **Open for more than 30 days** (``old_open_q``) = still 调解中 and received more than 30 days
  before today: received on ``today - 31`` or earlier (29 and 30 days old are not yet "old").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from cadres.selectors import people_visible_to
from governance.scoping import scope
from governance.subqueries import count_of
from mediation.models import Category, Committee, Dispute, FollowUp, Member, Outcome
from villages.models import County
from villages.selectors import townships_visible_to, villages_visible_to

OLD_AFTER_DAYS = 30


def old_open_q(*, today: dt.date | None = None, prefix: str = "") -> Q:
    """Open disputes received more than ``OLD_AFTER_DAYS`` days before ``today``."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=OLD_AFTER_DAYS)
    return Q(**{f"{prefix}outcome": Outcome.OPEN, f"{prefix}received_on__lt": cutoff})


def is_old_open(dispute: Dispute, *, today: dt.date | None = None) -> bool:
    """``old_open_q`` for one loaded dispute (the dispute's page, the village panel)."""
    today = today or timezone.localdate()
    return dispute.is_open and dispute.received_on < today - dt.timedelta(days=OLD_AFTER_DAYS)


def resolution_rate(agreements: int, closed: int) -> Decimal | None:
    """达成协议 / 已办结 in percent, one decimal, half up; None when nothing is closed yet."""
    if not closed:
        return None
    return (Decimal(agreements * 100) / Decimal(closed)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def committees_visible_to(user) -> QuerySet[Committee]:
    return scope(
        Committee.objects.select_related("village__township"), user, township_path="village__township"
    )


def members_visible_to(user) -> QuerySet[Member]:
    return scope(
        Member.objects.select_related("person", "committee__village__township"),
        user,
        township_path="committee__village__township",
    )


def disputes_visible_to(user) -> QuerySet[Dispute]:
    return scope(
        Dispute.objects.select_related("village__township__county", "mediator__person", "created_by"),
        user,
        township_path="village__township",
    )


def dispute_detail_for(user) -> QuerySet[Dispute]:
    return disputes_visible_to(user).prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by"))
    )


def mediators_for(user, *, village=None) -> QuerySet[Member]:
    """Members a dispute may name as mediator: current members of committees the user reads (of
    ``village`` when given); the service checks the village and dates again."""
    members = members_visible_to(user).filter(end_date__isnull=True)
    if village is not None:
        members = members.filter(committee__village=village)
    return members.order_by("committee__village__code", "-is_chair", "person__name")


def candidates_for(user, village) -> QuerySet:
    """People who may join ``village``'s committee: the cadres roster as the user reads it (cadres'
    own scoping), limited to the village's county."""
    return people_visible_to(user).filter(home_village__township__county_id=village.township.county_id)


def committee_members(village) -> tuple[list[Member], list[Member]]:
    """(current, former) members of the village's committee (one query). The village is one the
    user reads (callers take it from ``villages_visible_to``)."""
    members = list(
        Member.objects.filter(committee__village=village)
        .select_related("person")
        .order_by("-is_chair", "start_date", "pk")
    )
    return [m for m in members if m.end_date is None], [m for m in members if m.end_date is not None]


def village_committees(user) -> QuerySet:
    """Current villages in scope with their committee's chair name and current member count
    (one query; villages without a committee have 0 members)."""
    # Correlated subqueries, not a GROUP BY over joins: PostgreSQL then computes them for the page's
    # rows only (a province's 26,000 villages were aggregated and sorted for every page).
    chairs = Member.objects.filter(
        committee__village=OuterRef("pk"), is_chair=True, end_date__isnull=True
    ).values("person__name")[:1]
    members = count_of(Member.objects.filter(committee__village=OuterRef("pk"), end_date__isnull=True))
    open_disputes = count_of(Dispute.objects.filter(village=OuterRef("pk"), outcome=Outcome.OPEN))
    return (
        villages_visible_to(user)
        .filter(valid_to__isnull=True)
        .select_related("township")
        .annotate(member_count=members, chair_name=Subquery(chairs), open_count=open_disputes)
        .order_by("township__code", "code")
    )


# ---------------------------------------------------------------- summary


# Plain values, not enum members: a province summary asks this of 3,000 rows several times each.
CLOSED_OUTCOMES = (Outcome.AGREEMENT.value, Outcome.REFERRED.value, Outcome.UNRESOLVED.value)


@dataclass
class SummaryRow:
    unit: object  # a Township or a County
    county: object
    categories: dict = field(default_factory=dict)  # Category value → count
    outcomes: dict = field(default_factory=dict)  # Outcome value → count
    total: int = 0
    old_open: int = 0

    @property
    def closed(self) -> int:
        return sum(self.outcomes.get(value, 0) for value in CLOSED_OUTCOMES)

    @property
    def agreements(self) -> int:
        return self.outcomes.get(Outcome.AGREEMENT.value, 0)

    @property
    def rate(self) -> Decimal | None:
        return resolution_rate(self.outcomes.get(Outcome.AGREEMENT.value, 0), self.closed)

    def category_items(self):
        return [(c, self.categories.get(c.value, 0)) for c in Category]

    def outcome_items(self):
        return [(o, self.outcomes.get(o.value, 0)) for o in Outcome]

    def add(self, other: SummaryRow) -> None:
        for key, n in other.categories.items():
            self.categories[key] = self.categories.get(key, 0) + n
        for key, n in other.outcomes.items():
            self.outcomes[key] = self.outcomes.get(key, 0) + n
        self.total += other.total
        self.old_open += other.old_open


def summary_by_township(user, *, year: int, today: dt.date | None = None, county=None):
    """Per township in scope (current ones, and ended ones holding disputes of ``year``) and per
    county (the totals): disputes received in ``year`` by category and outcome, the resolution rate,
    and how many of them are open for more than 30 days. Two queries. ``county`` limits both to one
    county's townships (an admin's second level)."""
    townships_in_scope = townships_visible_to(user)
    if county is not None:
        townships_in_scope = townships_in_scope.filter(county=county)
    rows_data = list(_counts(townships_in_scope, "village__township_id", year=year, today=today))
    ids = {r["village__township_id"] for r in rows_data}
    townships = townships_in_scope.filter(Q(valid_to__isnull=True) | Q(pk__in=ids)).order_by(
        "county__code", "code"
    )
    by_township = {t.pk: SummaryRow(unit=t, county=t.county) for t in townships}
    _add_counts(by_township, rows_data, "village__township_id")
    rows = list(by_township.values())
    # One pass: a province has 183 counties and 3,111 townships (a loop per county took a second).
    totals: dict[int, SummaryRow] = {}
    for row in rows:
        total = totals.get(row.county.pk)
        if total is None:
            total = totals[row.county.pk] = SummaryRow(unit=row.county, county=row.county)
        total.add(row)
    return rows, list(totals.values())


def summary_by_county(user, *, year: int, today: dt.date | None = None) -> list[SummaryRow]:
    """The county totals of ``summary_by_township`` (the same counties, the same figures) counted per
    county in SQL: an admin's first level, without building 3,000 township rows. Two queries."""
    townships = townships_visible_to(user)
    rows_data = list(_counts(townships, "village__township__county_id", year=year, today=today))
    ids = {r["village__township__county_id"] for r in rows_data}
    counties = County.objects.filter(
        Q(pk__in=townships.filter(valid_to__isnull=True).values("county_id")) | Q(pk__in=ids)
    ).order_by("code")
    by_county = {c.pk: SummaryRow(unit=c, county=c) for c in counties}
    _add_counts(by_county, rows_data, "village__township__county_id")
    return list(by_county.values())


def _counts(townships: QuerySet, unit: str, *, year: int, today: dt.date | None):
    """Disputes received in ``year`` in ``townships`` per ``unit`` (a lookup), category and outcome,
    with how many of them are open for more than 30 days."""
    today = today or timezone.localdate()
    return (
        Dispute.objects.filter(
            received_on__year=year, village__township__in=townships.order_by().values("pk")
        )
        .values(unit, "category", "outcome")
        .annotate(n=Count("pk"), old=Count("pk", filter=old_open_q(today=today)))
        .order_by()
    )


def _add_counts(rows: dict, counts: list[dict], unit: str) -> None:
    for r in counts:
        row = rows.get(r[unit])
        if row is None:
            continue
        row.categories[r["category"]] = row.categories.get(r["category"], 0) + r["n"]
        row.outcomes[r["outcome"]] = row.outcomes.get(r["outcome"], 0) + r["n"]
        row.total += r["n"]
        row.old_open += r["old"]


def dispute_years(user) -> list[int]:
    """Years with disputes in scope (one query)."""
    return [d.year for d in disputes_visible_to(user).order_by().dates("received_on", "year", order="DESC")]
