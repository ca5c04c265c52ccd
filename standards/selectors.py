"""Reads of 六个标准化, scoped to the user's jurisdiction (DESIGN §1).

Compliance (DESIGN §3) = adopted / catalogue, where the catalogue is the county's **active** rules
(not retired) and "adopted" counts a village's adoptions of those rules. It is computed per area
and in total:

- a village: its adoptions / the county's active rules (18 rules, 12 adopted → 66.7 %);
- a township or a county: the sum of its current villages' adoptions / (villages × active rules),
  i.e. every village weighs the same.

Everything is counted in SQL: one query for the catalogue sizes, one for the adoption counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from governance.roles import Role, sees_everything
from governance.scoping import scope
from standards.models import AREAS, SCORE_FIELDS, Adoption, AdoptionAttachment, Area, Review, Rule
from villages.models import PartyBranch, Township, Village
from villages.selectors import townships_visible_to, villages_visible_to


def rules_visible_to(user) -> QuerySet[Rule]:
    """The catalogues the user may read: their county's (township staff read their township's
    county), every county for admins."""
    queryset = Rule.objects.select_related("county")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role == Role.COUNTY_OFFICIAL and user.county_id:
        return queryset.filter(county_id=user.county_id)
    if user.role == Role.TOWNSHIP_STAFF and user.township_id:
        return queryset.filter(county__townships__pk=user.township_id)
    return queryset.none()


def rules_editable_by(user) -> QuerySet[Rule]:
    """Rules a county official may edit: their own county's catalogue (admins use the admin)."""
    if user.is_authenticated and user.role == Role.COUNTY_OFFICIAL and user.county_id:
        return Rule.objects.select_related("county").filter(county_id=user.county_id)
    return Rule.objects.none()


def adoptions_visible_to(user) -> QuerySet[Adoption]:
    return scope(
        Adoption.objects.select_related("village__township", "rule", "recorded_by"),
        user,
        township_path="village__township",
    )


def adoption_detail_for(user) -> QuerySet[Adoption]:
    return adoptions_visible_to(user).prefetch_related(
        Prefetch("attachments", queryset=AdoptionAttachment.objects.select_related("uploaded_by"))
    )


def adoption_attachments_visible_to(user) -> QuerySet[AdoptionAttachment]:
    return scope(
        AdoptionAttachment.objects.select_related("adoption"),
        user,
        township_path="adoption__village__township",
    )


def reviews_visible_to(user) -> QuerySet[Review]:
    """Reviews of the branches the user may read (a branch belongs to its owner township)."""
    return scope(
        Review.objects.select_related(
            "branch__township__county", "branch__village", "created_by", "confirmed_by"
        ),
        user,
        township_path="branch__township",
    )


def review_branches_for(user) -> QuerySet[PartyBranch]:
    """Branches township staff may record reviews for: their township's, not ended."""
    return scope(
        PartyBranch.objects.select_related("township", "village").filter(end_date__isnull=True),
        user,
        township_path="township",
    ).order_by("name")


def village_catalogue(village: Village, compliance: ComplianceRow) -> list[dict]:
    """The village's county catalogue (active rules) by area, each rule with the village's adoption
    (or None), and the area's rate from ``compliance`` (``village_compliance``: counted in SQL, the
    one compliance rule): two queries."""
    rules = list(Rule.objects.filter(county_id=village.township.county_id, retired_on__isnull=True))
    adoptions = {
        a.rule_id: a
        for a in Adoption.objects.filter(village=village, rule__retired_on__isnull=True).annotate(
            attachment_count=Count("attachments")
        )
    }
    groups = []
    for area in Area:
        rows = [(rule, adoptions.get(rule.pk)) for rule in rules if rule.area == area]
        groups.append({"area": area, "rows": rows, "rate": compliance.areas[area]})
    return groups


# ---------------------------------------------------------------- compliance


@dataclass
class Rate:
    adopted: int = 0
    catalogue: int = 0

    @property
    def percent(self) -> Decimal | None:
        """adopted / catalogue in percent, one decimal, half up; None for an empty catalogue."""
        if not self.catalogue:
            return None
        value = Decimal(self.adopted * 100) / Decimal(self.catalogue)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: Rate) -> None:
        self.adopted += other.adopted
        self.catalogue += other.catalogue


@dataclass
class ComplianceRow:
    unit: object  # a Township or a Village
    county: object
    areas: dict = field(default_factory=dict)  # Area → Rate
    total: Rate = field(default_factory=Rate)
    villages: int = 0

    @property
    def area_rates(self) -> list[Rate]:
        return [self.areas[area] for area in AREAS]

    @property
    def area_items(self) -> list[tuple[Area, Rate]]:
        return [(area, self.areas[area]) for area in AREAS]


def _catalogue_sizes(county_ids) -> dict[int, dict[str, int]]:
    """county pk → {area: number of active rules}: one query."""
    sizes: dict[int, dict[str, int]] = {}
    rows = (
        Rule.objects.filter(county_id__in=county_ids, retired_on__isnull=True)
        .values("county_id", "area")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        sizes.setdefault(row["county_id"], {})[row["area"]] = row["n"]
    return sizes


def _row(unit, county, sizes, counts, villages: int) -> ComplianceRow:
    row = ComplianceRow(unit=unit, county=county, villages=villages)
    for area in AREAS:
        rate = Rate(counts.get(area, 0), sizes.get(county.pk, {}).get(area, 0) * villages)
        row.areas[area] = rate
        row.total.add(rate)
    return row


def _totals(rows: list[ComplianceRow], unit, county) -> ComplianceRow:
    total = ComplianceRow(unit=unit, county=county, areas={area: Rate() for area in AREAS})
    for row in rows:
        total.villages += row.villages
        for area in AREAS:
            total.areas[area].add(row.areas[area])
        total.total.add(row.total)
    return total


def compliance_by_township(user, *, county=None) -> tuple[list[ComplianceRow], list[ComplianceRow]]:
    """Per current township in scope (of ``county`` when given), and per county (the totals):
    three queries."""
    townships = townships_visible_to(user).filter(valid_to__isnull=True)
    if county is not None:
        townships = townships.filter(county=county)
    townships = list(
        townships.annotate(
            village_count=Count("villages", filter=Q(villages__valid_to__isnull=True))
        ).order_by("county__code", "code")
    )
    sizes = _catalogue_sizes({t.county_id for t in townships})
    counts: dict[int, dict[str, int]] = {}
    adopted = (
        Adoption.objects.filter(
            village__township__in=[t.pk for t in townships],
            village__valid_to__isnull=True,
            rule__retired_on__isnull=True,
        )
        .values("village__township_id", "rule__area")
        .annotate(n=Count("pk"))
    )
    for row in adopted:
        counts.setdefault(row["village__township_id"], {})[row["rule__area"]] = row["n"]
    rows = [_row(t, t.county, sizes, counts.get(t.pk, {}), t.village_count) for t in townships]
    totals = []
    for unit in dict.fromkeys(t.county for t in townships):
        totals.append(_totals([r for r in rows if r.county == unit], unit, unit))
    return rows, totals


@dataclass
class AllCounties:
    """The unit of the grand total of an admin's county rows."""

    name: str
    code: str = ""


def compliance_by_county(user) -> tuple[list[ComplianceRow], list[ComplianceRow]]:
    """Per county in scope (an admin's first level: a province has 3,000 townships), and the total
    over them: three grouped queries, whatever the number of villages."""
    from django.utils.translation import gettext

    from villages.selectors import counties_visible_to

    counties = list(
        counties_visible_to(user)
        .annotate(
            village_count=Count(
                "townships__villages",
                filter=Q(townships__valid_to__isnull=True, townships__villages__valid_to__isnull=True),
            )
        )
        .order_by("code")
    )
    sizes = _catalogue_sizes([c.pk for c in counties])
    counts: dict[int, dict[str, int]] = {}
    adopted = (
        Adoption.objects.filter(
            village__township__county__in=[c.pk for c in counties],
            village__township__valid_to__isnull=True,
            village__valid_to__isnull=True,
            rule__retired_on__isnull=True,
        )
        .values("village__township__county_id", "rule__area")
        .annotate(n=Count("pk"))
    )
    for row in adopted:
        counts.setdefault(row["village__township__county_id"], {})[row["rule__area"]] = row["n"]
    rows = [_row(c, c, sizes, counts.get(c.pk, {}), c.village_count) for c in counties]
    everything = AllCounties(name=gettext("全部县（市）"))
    return rows, [_totals(rows, everything, everything)]


def compliance_by_village(township: Township) -> tuple[list[ComplianceRow], ComplianceRow]:
    """Per current village of ``township`` (already checked visible), and the township's total."""
    villages = list(township.villages.filter(valid_to__isnull=True).order_by("code"))
    sizes = _catalogue_sizes([township.county_id])
    counts: dict[int, dict[str, int]] = {}
    adopted = (
        Adoption.objects.filter(village__in=villages, rule__retired_on__isnull=True)
        .values("village_id", "rule__area")
        .annotate(n=Count("pk"))
    )
    for row in adopted:
        counts.setdefault(row["village_id"], {})[row["rule__area"]] = row["n"]
    rows = [_row(v, township.county, sizes, counts.get(v.pk, {}), 1) for v in villages]
    return rows, _totals(rows, township, township.county)


def village_compliance(village: Village) -> ComplianceRow:
    sizes = _catalogue_sizes([village.township.county_id])
    counts = dict(
        Adoption.objects.filter(village=village, rule__retired_on__isnull=True)
        .values_list("rule__area")
        .annotate(n=Count("pk"))
    )
    return _row(village, village.township.county, sizes, counts, 1)


def visible_township(user, code: str) -> Township | None:
    return townships_visible_to(user).filter(code=code).first()


def visible_village(user, code: str) -> Village | None:
    return villages_visible_to(user).filter(code=code).first()


# ---------------------------------------------------------------- ranking


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class RankingRow:
    township: Township
    reviews: int
    mean: Decimal | None
    previous_reviews: int
    previous_mean: Decimal | None
    rank: int = 0

    @property
    def unit(self):
        """The township ranked (a county in ``county_ranking``)."""
        return self.township

    @property
    def change(self) -> Decimal | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return self.mean - self.previous_mean


def township_ranking(user, *, year: int, county=None) -> list[RankingRow]:
    """Current townships in scope (of ``county`` when given) ranked by the mean total of their
    **confirmed** reviews of ``year`` (highest first; townships without one last), with the
    previous year's mean and the change: one query."""
    confirmed = Q(branches__standard_reviews__state=Review.State.CONFIRMED)
    this_year = confirmed & Q(branches__standard_reviews__year=year)
    last_year = confirmed & Q(branches__standard_reviews__year=year - 1)
    townships = (
        townships_visible_to(user)
        .filter(valid_to__isnull=True)
        .filter(**({"county": county} if county is not None else {}))
        .select_related("county")  # the admin's export names each township's county
        .annotate(
            n=Count("branches__standard_reviews", filter=this_year),
            mean=Avg("branches__standard_reviews__total", filter=this_year),
            previous_n=Count("branches__standard_reviews", filter=last_year),
            previous_mean=Avg("branches__standard_reviews__total", filter=last_year),
        )
        .order_by("county__code", "code")
    )
    rows = [RankingRow(t, t.n, _mean(t.mean), t.previous_n, _mean(t.previous_mean)) for t in townships]
    return _ranked(rows)


def county_ranking(user, *, year: int) -> list[RankingRow]:
    """The counties of the current townships in scope ranked as ``township_ranking`` ranks
    townships: the mean total of the confirmed reviews of ``year`` of their current townships'
    branches (an admin's first level across a province): two queries."""
    townships = townships_visible_to(user).filter(valid_to__isnull=True)
    reviews = Review.objects.filter(
        state=Review.State.CONFIRMED,
        year__in=[year, year - 1],
        branch__township__in=townships.values("pk"),
    )
    figures = {
        row["branch__township__county_id"]: row
        for row in reviews.order_by()
        .values("branch__township__county_id")
        .annotate(
            n=Count("pk", filter=Q(year=year)),
            mean=Avg("total", filter=Q(year=year)),
            previous_n=Count("pk", filter=Q(year=year - 1)),
            previous_mean=Avg("total", filter=Q(year=year - 1)),
        )
    }
    from villages.models import County

    rows = []
    for county in County.objects.filter(pk__in=townships.values("county_id")).order_by("code"):
        found = figures.get(county.pk, {})
        rows.append(
            RankingRow(
                county,
                found.get("n", 0),
                _mean(found.get("mean")),
                found.get("previous_n", 0),
                _mean(found.get("previous_mean")),
            )
        )
    return _ranked(rows)


def _ranked(rows: list[RankingRow]) -> list[RankingRow]:
    """Highest mean first (units without one last, by code), numbered 1, 2, …"""
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.township.code))
    rank = 0
    for row in rows:
        if row.mean is not None:
            rank += 1
            row.rank = rank
    return rows


def area_means(user, *, year: int) -> list[tuple[Area, Decimal | None, int]]:
    """(area, mean score, reviews) of the confirmed reviews of ``year`` in scope, lowest first:
    one query."""
    reviews = reviews_visible_to(user).filter(year=year, state=Review.State.CONFIRMED)
    figures = reviews.aggregate(n=Count("pk"), **{area.value: Avg(SCORE_FIELDS[area]) for area in Area})
    rows = [(area, _mean(figures[area.value]), figures["n"]) for area in Area]
    rows.sort(key=lambda r: (r[1] is None, r[1] or 0))
    return rows


def review_years(user) -> list[int]:
    return list(reviews_visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def adoptable_rules(village) -> QuerySet[Rule]:
    """The county's rules in use that ``village`` has not adopted yet (the village is already one
    the user reads: callers take it from ``villages_visible_to``)."""
    return (
        Rule.objects.filter(county_id=village.township.county_id, retired_on__isnull=True)
        .exclude(adoptions__village=village)
        .order_by("area", "code")
    )
