"""Reads of cadre records, always scoped to the user's jurisdiction through ``governance.scoping.scope``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cadres.models import (
    Committee,
    Development,
    Evaluation,
    IdNumberReveal,
    Performance,
    Person,
    Position,
    Post,
    ReserveCadre,
    ReserveQuota,
    active_on_q,
)
from cadres.stationing import current_first_secretaries, current_stationing  # noqa: F401 (re-exported)
from governance.roles import can_review, sees_everything
from governance.scoping import scope
from villages.models import Village
from villages.selectors import villages_visible_to


def _two_incompetent_years(person_ref: str = "pk") -> Exists:
    """True when the person has 不称职 in two consecutive evaluation years (any pair)."""
    previous = Evaluation.objects.filter(
        person=OuterRef("person"), performance=Performance.INCOMPETENT, year=OuterRef("year") - 1
    )
    return Exists(
        Evaluation.objects.filter(person=OuterRef(person_ref), performance=Performance.INCOMPETENT).filter(
            Exists(previous)
        )
    )


def people_visible_to(user) -> QuerySet[Person]:
    """People whose home village is in the user's jurisdiction, with village and township loaded and
    the two-consecutive-不称职 flag computed in SQL."""
    return scope(
        Person.objects.select_related("home_village__township").annotate(
            flag_incompetent_twice=_two_incompetent_years()
        ),
        user,
        township_path="home_village__township",
    )


def posts_visible_to(user) -> QuerySet[Post]:
    """Posts in villages of the user's jurisdiction, with person and village loaded and the flag."""
    return scope(
        Post.objects.select_related("person", "village__township").annotate(
            flag_incompetent_twice=_two_incompetent_years("person_id")
        ),
        user,
        township_path="village__township",
    )


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    return scope(
        Evaluation.objects.select_related("person", "village__township").annotate(
            flag_incompetent_twice=_two_incompetent_years("person_id")
        ),
        user,
        township_path="village__township",
    )


def developments_visible_to(user) -> QuerySet[Development]:
    return scope(
        Development.objects.select_related("person", "village__township"),
        user,
        township_path="village__township",
    )


def reserves_visible_to(user) -> QuerySet[ReserveCadre]:
    return scope(
        ReserveCadre.objects.select_related("person", "village__township", "mentor", "appointed_post"),
        user,
        township_path="village__township",
    )


def active_posts_on(*, village, on: dt.date) -> QuerySet[Post]:
    """The village's posts held on ``on``. Not scoped: callers already hold a visible village."""
    return Post.objects.filter(active_on_q(on), village=village)


def combined_leadership_on(*, village, on: dt.date) -> bool:
    """一肩挑: the person holding the village's branch secretary post on ``on`` also holds its
    villagers' committee director post on that date. Derived from posts, never stored."""
    posts = active_posts_on(village=village, on=on)
    secretaries = posts.filter(committee=Committee.BRANCH, position=Position.SECRETARY).values("person_id")
    return posts.filter(
        committee=Committee.VILLAGERS, position=Position.DIRECTOR, person_id__in=secretaries
    ).exists()


def supervision_reporter_for(*, village, on: dt.date) -> Person | None:
    """Who reports for the village affairs supervision committee on ``on``: the branch's
    discipline-inspection member (纪检委员, who chairs it by DESIGN §5), else the committee's chair."""
    posts = active_posts_on(village=village, on=on).select_related("person").order_by("start_date", "pk")
    for position in (Position.DISCIPLINE_INSPECTION, Position.SUPERVISION_CHAIR):
        post = posts.filter(position=position).first()
        if post is not None:
            return post.person
    return None


class ComplianceStatus:
    """Statuses of a village-year under the 3512 quota (computed in SQL, never stored)."""

    MET = "met"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"
    BACKGROUND_MISSED = "background_missed"
    CHOICES = [
        (MET, _("达标")),
        (TOO_FEW, _("人数不足")),
        (TOO_MANY, _("人数超出")),
        (BACKGROUND_MISSED, _("背景配比未达标")),
    ]
    LABELS = dict(CHOICES)


def _quota_values(user, year: int, quota: ReserveQuota | None) -> dict:
    """The four quota figures each village is judged by, as SQL values: one ``Value`` when every
    county in scope has the same quota (or ``quota`` is forced), else a CASE on the county (from one
    query of the counties' quotas)."""
    names = ReserveQuota.value_fields
    if quota is not None:
        return {f"quota_{name}": Value(getattr(quota, name)) for name in names}
    counties = villages_visible_to(user).order_by().values("township__county_id")
    quotas = quotas_by_county(counties, year=year)
    if not quotas:
        return {f"quota_{name}": Value(ReserveQuota._meta.get_field(name).default) for name in names}
    common = max(set(quotas.values()), key=list(quotas.values()).count)  # the most counties' quota
    values = {}
    for index, name in enumerate(names):
        exceptions = [
            When(township__county_id=county_id, then=Value(limits[index]))
            for county_id, limits in quotas.items()
            if limits[index] != common[index]
        ]
        default = Value(common[index])
        values[f"quota_{name}"] = (
            Case(*exceptions, default=default, output_field=IntegerField()) if exceptions else default
        )
    return values


def compliance_for(user, *, year: int, quota: ReserveQuota | None = None) -> QuerySet[Village]:
    """Every current village in scope with its reserve count, background count and status for ``year``.

    Each village is judged by its county's quota for the year (``ReserveQuota.for_year``); the
    counts come from the village's ``ReserveTally`` row for the year (kept by triggers), joined, so
    a page of villages costs one query; ``quota`` forces one quota for every village (tests, what-if)."""
    return (
        villages_visible_to(user)
        .filter(valid_to__isnull=True)
        .annotate(tally=FilteredRelation("reserve_tallies", condition=Q(reserve_tallies__plan_year=year)))
        .annotate(
            reserve_count=Coalesce(F("tally__reserves"), Value(0)),
            background_count=Coalesce(F("tally__backgrounds"), Value(0)),
        )
        .annotate(**_quota_values(user, year, quota))
        .annotate(
            status=Case(
                When(reserve_count__lt=F("quota_min_count"), then=Value(ComplianceStatus.TOO_FEW)),
                When(reserve_count__gt=F("quota_max_count"), then=Value(ComplianceStatus.TOO_MANY)),
                When(
                    Q(background_count__lt=F("quota_min_background"))
                    | Q(background_count__gt=F("quota_max_background")),
                    then=Value(ComplianceStatus.BACKGROUND_MISSED),
                ),
                default=Value(ComplianceStatus.MET),
                output_field=CharField(),
            )
        )
        .order_by("township__code", "code")
    )


def village_compliance(user, *, village, year: int, quota: ReserveQuota | None = None) -> Village | None:
    """One village's reserve count, background count and status for ``year`` (one query), for its
    roster and village page; None for a village that no longer exists or is out of scope."""
    row = compliance_for(user, year=year, quota=quota).filter(pk=village.pk).first()
    if row is not None:
        row.status_label = ComplianceStatus.LABELS[row.status]
    return row


def _status_totals() -> dict:
    return {
        "villages": Count("pk"),
        "reserves": Sum("reserve_count"),
        "backgrounds": Sum("background_count"),
        **{status: Count("pk", filter=Q(status=status)) for status, _label in ComplianceStatus.CHOICES},
    }


def quotas_by_county(county_ids, *, year: int) -> dict[int, tuple[int, int, int, int]]:
    """county pk → (min_count, max_count, min_background, max_background) judging ``year``, for the
    counties of ``county_ids`` (a list or a subquery): one query, a row per county."""
    from villages.models import County

    limits = {
        name: Coalesce(
            Subquery(
                ReserveQuota.ordered_sql(OuterRef("pk"), ReserveQuota.year_start(year)).values(name)[:1],
                output_field=IntegerField(),
            ),
            Value(ReserveQuota._meta.get_field(name).default),
        )
        for name in ReserveQuota.value_fields
    }
    rows = County.objects.filter(pk__in=county_ids).annotate(**limits).values_list("pk", *limits)
    return {pk: tuple(values) for pk, *values in rows}


# Each village judged once from its tally row for the year, then rolled up per township: the same
# statuses as ``compliance_for``, without the per-village subqueries (seconds at province size).
_TOTALS_SQL = """
WITH scope AS ({scope}),
quota (county_id, lo, hi, bg_lo, bg_hi) AS (VALUES {quotas}),
judged AS (
    SELECT v.township_id, COALESCE(k.reserves, 0) AS n, COALESCE(k.backgrounds, 0) AS bg,
           q.lo, q.hi, q.bg_lo, q.bg_hi
    FROM villages_village v
    JOIN villages_township tw ON tw.id = v.township_id
    JOIN quota q ON q.county_id = tw.county_id
    LEFT JOIN cadres_reservetally k ON k.village_id = v.id AND k.plan_year = %s
    WHERE v.id IN (SELECT * FROM scope)
),
counted AS (
    SELECT township_id, COUNT(*) AS villages, SUM(n)::bigint AS reserves, SUM(bg)::bigint AS backgrounds,
           COUNT(*) FILTER (WHERE n >= lo AND n <= hi AND bg >= bg_lo AND bg <= bg_hi) AS met,
           COUNT(*) FILTER (WHERE n < lo) AS too_few,
           COUNT(*) FILTER (WHERE n >= lo AND n > hi) AS too_many,
           COUNT(*) FILTER (WHERE n >= lo AND n <= hi AND (bg < bg_lo OR bg > bg_hi)) AS background_missed
    FROM judged GROUP BY township_id
)
SELECT t.code AS township__code, t.name AS township__name, c.name AS township__county__name,
       c.code AS township__county__code,
       k.villages, k.reserves, k.backgrounds, k.met, k.too_few, k.too_many, k.background_missed
FROM counted k JOIN villages_township t ON t.id = k.township_id JOIN villages_county c ON c.id = t.county_id
ORDER BY t.code
"""


def compliance_totals(
    villages: QuerySet[Village], *, year: int, quota: ReserveQuota | None = None
) -> tuple[list[dict], dict]:
    """Per-township rows and the overall total for ``year`` of the villages of an (already filtered)
    ``compliance_for`` queryset, in SQL (two queries: the counties' quotas, then the roll-up)."""
    empty = {key: None if key in ("reserves", "backgrounds") else 0 for key in _status_totals()}
    try:
        scope, scope_params = villages.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return [], empty
    counties = villages.order_by().values("township__county_id")
    if quota is None:
        quotas = quotas_by_county(counties, year=year)
    else:
        fixed = tuple(getattr(quota, name) for name in ReserveQuota.value_fields)
        quotas = dict.fromkeys(counties.distinct().values_list("township__county_id", flat=True), fixed)
    if not quotas:
        return [], empty
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(quotas))
    params = [*scope_params]
    params += [value for county_id, limits in quotas.items() for value in (county_id, *limits)]
    params.append(year)
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS_SQL.format(scope=scope, quotas=values), params)
        names = [column.name for column in cursor.description]
        townships = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # The total adds up the township rows (SQL's SUM semantics: None when nothing to add).
    total = {}
    for key in _status_totals():
        figures = [row[key] for row in townships if row[key] is not None]
        total[key] = sum(figures) if figures or key not in ("reserves", "backgrounds") else None
    return townships, total


def compliance_by_county(townships: list[dict]) -> list[dict]:
    """The township rows of ``compliance_totals`` added up per county (each village is in one
    township, so the sums are the county's), in county code order."""
    counties: dict[str, dict] = {}
    for row in townships:
        county = counties.setdefault(
            row["township__county__code"],
            {"code": row["township__county__code"], "name": row["township__county__name"]},
        )
        for key in ("villages", "reserves", "backgrounds", "met", "too_few", "too_many", "background_missed"):
            county[key] = county.get(key, 0) + (row[key] or 0)
    return [counties[code] for code in sorted(counties)]


def roster_for(*, village, on: dt.date) -> dict:
    """The village's posts held on ``on`` by committee, with the derived flags (bounded queries)."""
    posts = list(
        Post.objects.filter(active_on_q(on), village=village)
        .select_related("person")
        .annotate(flag_incompetent_twice=_two_incompetent_years("person_id"))
        .order_by("committee", "position", "start_date")
    )
    by_committee = {committee: [] for committee in Committee}
    people_committees: dict[int, set] = {}
    for post in posts:
        by_committee[Committee(post.committee)].append(post)
        people_committees.setdefault(post.person_id, set()).add(post.committee)
    # Committees listed in protocol order (secretary first), not alphabetically.
    rank = {value: i for i, value in enumerate(Position.values)}
    for committee_posts in by_committee.values():
        committee_posts.sort(key=lambda post: (rank[post.position], post.start_date))
    two_committees = {Committee.BRANCH, Committee.VILLAGERS}
    cross = {pid for pid, committees in people_committees.items() if two_committees <= committees}
    secretary_ids = {p.person_id for p in posts if p.position == Position.SECRETARY}
    director_ids = {p.person_id for p in posts if p.position == Position.DIRECTOR}
    for post in posts:
        post.cross_appointed = post.person_id in cross
        post.ending_soon = post.term_end is not None and on <= post.term_end <= on + dt.timedelta(days=90)
    return {
        "committees": [(committee.label, by_committee[committee]) for committee in Committee],
        "combined_leadership": bool(secretary_ids & director_ids),
        "cross_appointed_count": len(cross),
        "ending_soon": sorted((post for post in posts if post.ending_soon), key=lambda post: post.term_end),
        "flagged": [post for post in posts if post.flag_incompetent_twice],
        # DESIGN §3/§5 committee rules against today's members ([7/10]; cadres/membership.py).
        "branch_issues": village_rule_issues(village=village, on=on),
        # 驻村第一书记 ([9/10]): not a committee post, shown beside the committees.
        "first_secretary": current_stationing(village, on),
    }


def may_read_reveal_log(user) -> bool:
    """County officials review who revealed whole ID numbers in their county, admins in every
    county (DESIGN §1: county officials review). Township staff, whose reveals the log records, do
    not read it."""
    return can_review(user) or sees_everything(user)


def reveals_visible_to(user) -> QuerySet[IdNumberReveal]:
    """The ID-number reveal log of people in the user's jurisdiction, newest first, with the viewer
    and the person's village and township loaded; nothing for users who may not read it."""
    if not may_read_reveal_log(user):
        return IdNumberReveal.objects.none()
    return scope(
        IdNumberReveal.objects.select_related(
            "user__township", "user__county", "person__home_village__township"
        ).order_by("-revealed_at", "-pk"),
        user,
        township_path="person__home_village__township",
    )


# Party membership and committee rules ([7/10]): implemented in cadres/membership.py.
def with_duty_this_year(queryset, year: int):
    """Memberships with the name of their duty post (无职党员设岗定责) of ``year``, in the same query."""
    from cadres.models import DutyAssignment

    duty = DutyAssignment.objects.filter(membership=OuterRef("pk"), year=year).values("kind__name")[:1]
    return queryset.annotate(duty_this_year=Subquery(duty))


from cadres.membership import (  # noqa: E402, F401
    annotate_branch_rules,
    branch_member_counts,
    branch_rule_issues,
    duties_visible_to,
    memberships_visible_to,
    village_rule_issues,
)
