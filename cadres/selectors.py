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
    ReserveOutcome,
    ReserveQuota,
    active_on_q,
)
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


def _reserve_count(year: int, *, background: bool = False):
    """Village's reserve cadres for ``year`` (withdrawn ones excluded), as a correlated subquery so
    that township and county totals can group over it."""
    rows = ReserveCadre.objects.filter(village=OuterRef("pk"), plan_year=year).exclude(
        outcome=ReserveOutcome.WITHDRAWN
    )
    if background:
        rows = rows.filter(Q(person__is_returning_migrant=True) | Q(person__is_wealth_expert=True))
    counted = rows.order_by().values("village").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _quota_sql(year: int) -> dict:
    """The quota each village's county is judged by for ``year`` (its row in force on 1 January,
    else the default's, else DESIGN's), as four correlated subqueries on the village's county."""
    rows = ReserveQuota.ordered_sql(OuterRef("township__county_id"), ReserveQuota.year_start(year))
    return {
        f"quota_{name}": Coalesce(
            Subquery(rows.values(name)[:1], output_field=IntegerField()),
            Value(ReserveQuota._meta.get_field(name).default),
        )
        for name in ReserveQuota.value_fields
    }


def compliance_for(user, *, year: int, quota: ReserveQuota | None = None) -> QuerySet[Village]:
    """Every current village in scope with its reserve count, background count and status for ``year``.

    Each village is judged by its county's quota for the year (``ReserveQuota.for_year``), computed
    in the same query; ``quota`` forces one quota for every village (tests, what-if)."""
    if quota is None:
        limits = _quota_sql(year)
    else:
        limits = {f"quota_{name}": Value(getattr(quota, name)) for name in ReserveQuota.value_fields}
    return (
        villages_visible_to(user)
        .filter(valid_to__isnull=True)
        .annotate(reserve_count=_reserve_count(year), background_count=_reserve_count(year, background=True))
        .annotate(**limits)
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


def compliance_totals(villages: QuerySet[Village]) -> tuple[list[dict], dict]:
    """Per-township rows and the overall total of an (already filtered) compliance queryset, in SQL."""
    # Each village judged once in a derived table (OFFSET 0 keeps PostgreSQL from inlining it), then
    # grouped: grouping the annotated queryset directly re-ran the per-village subqueries for every
    # status counted, four times the work at province size (bench/README.md).
    columns = ("township__code", "township__name", "township__county__name")
    try:
        inner, params = (
            villages.order_by()
            .values(*columns, "reserve_count", "background_count", "status")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return [], {key: None if key in ("reserves", "backgrounds") else 0 for key in _status_totals()}
    statuses = [status for status, _label in ComplianceStatus.CHOICES]
    counted = ", ".join(f"COUNT(*) FILTER (WHERE status = %s) AS {status}" for status in statuses)
    sql = (
        f"SELECT {', '.join(columns)}, COUNT(*) AS villages, SUM(reserve_count)::bigint AS reserves, "
        f"SUM(background_count)::bigint AS backgrounds, {counted} "
        f"FROM ({inner} OFFSET 0) judged GROUP BY 1, 2, 3 ORDER BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*statuses, *params])
        names = [column.name for column in cursor.description]
        townships = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # The total adds up the township rows (SQL's SUM semantics: None when nothing to add) instead of
    # judging every village of the province a second time (bench/README.md).
    total = {}
    for key in _status_totals():
        figures = [row[key] for row in townships if row[key] is not None]
        total[key] = sum(figures) if figures or key not in ("reserves", "backgrounds") else None
    return townships, total


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
