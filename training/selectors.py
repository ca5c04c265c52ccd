"""Reads of training classes and attendance, scoped to the user's jurisdiction (DESIGN §1).

Who reads a class: the county's officials every class of their county; township staff the classes
their county organises and their own township's (another township's class answers 404); admins all.

**Coverage** (the one rule: ``coverage_day``, ``_covered_post``, ``_covered_stationing``): for a
year Y, the people who must be trained are those holding, on the *coverage day* (31 December of Y,
or today when that is earlier), a branch secretary or villagers' committee director post
(``cadres.Post``) or a first secretary's stationing (``cadres.Stationing``) in a village of the
unit. A person counts once however many such posts they hold; one who left before that day does not
count. They are *trained* when they attended (status 参训) at least one class starting in Y. Coverage
= trained / to train.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadres.models import (
    Committee,
    Membership,
    Person,
    Position,
    Post,
    ReserveCadre,
    ReserveOutcome,
    Stationing,
    active_on_q,
    stationed_on_q,
)
from governance.roles import Role, can_review, may_write_for, sees_everything
from governance.scoping import jurisdiction_q
from governance.subqueries import count_of
from training.models import Attendance, AttendanceStatus, Audience, TrainingClass, TrainingTarget
from villages.models import County
from villages.selectors import townships_visible_to

# Posts whose holders must be trained (with the first secretaries' stationings).
COVERED_POSITIONS = (Position.SECRETARY, Position.DIRECTOR)


# ---------------------------------------------------------------- classes


def classes_visible_to(user) -> QuerySet[TrainingClass]:
    """Not ``scope()`` alone: a county's own classes have no township. County officials read every
    class of their county (it may have no township yet), township staff their county's own classes
    and their township's (``jurisdiction_q``), admins all."""
    queryset = TrainingClass.objects.select_related("county", "township")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role == Role.COUNTY_OFFICIAL and user.county_id:
        return queryset.filter(county_id=user.county_id)
    if user.role == Role.TOWNSHIP_STAFF and user.township_id:
        return queryset.filter(county__townships__pk=user.township_id).filter(
            Q(township__isnull=True) | jurisdiction_q(user, township_path="township")
        )
    return queryset.none()


def with_attendance_counts(queryset: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """``attended_count`` and ``absent_count`` of each class, counted per class shown (a subquery on
    the class's attendance) rather than by grouping every attendance of the province with the list
    (its page count then reads the classes alone)."""

    def counted(status):
        return count_of(Attendance.objects.filter(training_class=OuterRef("pk"), status=status))

    return queryset.annotate(
        attended_count=counted(AttendanceStatus.ATTENDED), absent_count=counted(AttendanceStatus.ABSENT)
    )


def may_write_class(user, *, county_id, township_id) -> bool:
    """County officials write their county's own classes, township staff their township's, admins
    every class (``governance.roles``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    if township_id is None:
        return can_review(user) and user.county_id == county_id
    return may_write_for(user, township_id)


def may_create_class(user) -> bool:
    return (
        sees_everything(user)
        or (can_review(user) and bool(user.county_id))
        or may_write_for(user, getattr(user, "township_id", None))
    )


# ---------------------------------------------------------------- people of a county


def people_of_county(county_id) -> QuerySet[Person]:
    """A person belongs to a county through the village of any of their posts, stationings, reserve
    places or party memberships, or their registered (home) village: cadres scopes a person by the
    home village, and first secretaries come from elsewhere, so both count. Found from the county's
    side (``_county_person_ids``), rather than testing the five links of every person of the
    province (a million)."""
    return Person.objects.filter(pk__in=_county_person_ids(county_id)).select_related(
        "home_village__township"
    )


def _county_person_ids(county_id) -> QuerySet:
    """The pks of the people of the county (``people_of_county``): a UNION of index ranges."""
    in_county = {"village__township__county_id": county_id}
    return (
        Person.objects.filter(home_village__township__county_id=county_id)
        .order_by()
        .values("pk")
        .union(
            Post.objects.filter(**in_county).order_by().values("person_id"),
            Stationing.objects.filter(**in_county).order_by().values("person_id"),
            ReserveCadre.objects.filter(**in_county).order_by().values("person_id"),
            Membership.objects.filter(branch__township__county_id=county_id).order_by().values("person_id"),
        )
    )


# People a class page's name search lists (as many as the person picker's search).
PEOPLE_FOUND_LIMIT = 20


def people_of_county_named(county_id, text: str) -> list[Person]:
    """The first ``PEOPLE_FOUND_LIMIT`` people of the county whose name contains ``text`` (a class
    page's search for someone outside its list), with their current posts for the picker's label:
    the county's person ids first, then the names among them (a name test on a million people
    would read them all)."""
    from cadres.forms import with_current_posts

    text = text.replace("\x00", "").strip()[:60]
    if not text:
        return []
    ids = [row["pk"] for row in _county_person_ids(county_id)]
    people = Person.objects.filter(pk__in=ids, name__contains=text).select_related("home_village__township")
    return list(with_current_posts(people.order_by("home_village__code", "name", "pk"))[:PEOPLE_FOUND_LIMIT])


# ---------------------------------------------------------------- the expected audience of a class


@dataclass
class AudienceRow:
    person: Person
    village: object
    roles: list[str]
    attendance: Attendance | None = None


def expected_audience(training_class: TrainingClass) -> list[AudienceRow]:
    """The people who should attend ``training_class``: holders, on its first day, of the post
    kinds of its audience in the villages of its organiser (the county's or the township's), one row
    per person with every matching role. At most four queries."""
    day = training_class.start_date
    if training_class.township_id:
        place = Q(village__township_id=training_class.township_id)
    else:
        place = Q(village__township__county_id=training_class.county_id)
    audience = set(training_class.audience)
    rows: dict[int, AudienceRow] = {}

    def add(person, village, role):
        row = rows.get(person.pk)
        if row is None:
            rows[person.pk] = AudienceRow(person=person, village=village, roles=[role])
        elif role not in row.roles:
            row.roles.append(role)

    positions = []
    if Audience.SECRETARY in audience:
        positions.append(Position.SECRETARY)
    if Audience.DIRECTOR in audience:
        positions.append(Position.DIRECTOR)
    post_q = Q(position__in=positions)
    if Audience.OTHER in audience:
        post_q |= Q(committee__in=[Committee.BRANCH, Committee.VILLAGERS]) & ~Q(
            position__in=COVERED_POSITIONS
        )
    if positions or Audience.OTHER in audience:
        posts = (
            Post.objects.filter(place, active_on_q(day)).filter(post_q).select_related("person", "village")
        )
        for post in posts.order_by("village__code", "position"):
            add(post.person, post.village, str(post.get_position_display()))
    if Audience.FIRST_SECRETARY in audience:
        stationings = Stationing.objects.filter(place, stationed_on_q(day)).select_related(
            "person", "village"
        )
        for stationing in stationings.order_by("village__code"):
            add(stationing.person, stationing.village, str(Audience.FIRST_SECRETARY.label))
    if Audience.RESERVE in audience:
        reserves = ReserveCadre.objects.filter(
            place, plan_year=day.year, outcome=ReserveOutcome.IN_RESERVE
        ).select_related("person", "village")
        for reserve in reserves.order_by("village__code"):
            add(reserve.person, reserve.village, str(Audience.RESERVE.label))
    return sorted(rows.values(), key=lambda r: (r.village.code, r.person.name, r.person.pk))


def attendance_rows(training_class: TrainingClass) -> list[AudienceRow]:
    """The expected audience with their attendance, then everyone else recorded for the class."""
    recorded = {
        a.person_id: a
        for a in training_class.attendances.select_related("person__home_village", "recorded_by")
    }
    rows = expected_audience(training_class)
    for row in rows:
        row.attendance = recorded.pop(row.person.pk, None)
    extra = [
        AudienceRow(person=a.person, village=a.person.home_village, roles=[], attendance=a)
        for a in recorded.values()
    ]
    extra.sort(key=lambda r: (r.person.name, r.person.pk))
    return rows + extra


# ---------------------------------------------------------------- coverage


def coverage_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day whose post holders a year's coverage counts: 31 December, or today when earlier."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


def _covered_post(day: dt.date, townships, person_ref=None) -> QuerySet[Post]:
    posts = Post.objects.filter(
        active_on_q(day), position__in=COVERED_POSITIONS, village__township__in=townships
    )
    return posts.filter(person=OuterRef(person_ref)) if person_ref else posts


def _covered_stationing(day: dt.date, townships, person_ref=None) -> QuerySet[Stationing]:
    stationings = Stationing.objects.filter(stationed_on_q(day), village__township__in=townships)
    return stationings.filter(person=OuterRef(person_ref)) if person_ref else stationings


def attended_q(year: int, person_ref: str = "pk") -> Exists:
    return Exists(
        Attendance.objects.filter(
            person=OuterRef(person_ref),
            status=AttendanceStatus.ATTENDED,
            training_class__start_date__year=year,
        )
    )


def _coverage_counts(
    township_ids, *, year: int, day: dt.date, per_township: bool = True
) -> tuple[dict, dict]:
    """``{township pk: (to be trained, trained)}`` and the same per county pk, counted in SQL (one
    query): a person counts once per township and once per county however many posts they hold. A
    province has some 60,000 people to train: counting them in Python cost more than the rest of
    the dashboard. ``per_township=False``: the counties' figures only (the township dict empty)."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    posts = _covered_post(day, township_ids).values_list("village__township_id", "person_id").order_by()
    stationings = (
        _covered_stationing(day, township_ids).values_list("village__township_id", "person_id").order_by()
    )
    attended = (
        Attendance.objects.filter(
            status=AttendanceStatus.ATTENDED,
            training_class__start_date__gte=dt.date(year, 1, 1),
            training_class__start_date__lte=dt.date(year, 12, 31),
        )
        .values("person_id")
        .order_by()
    )
    try:
        roster_sql, roster_params = posts.union(stationings).query.sql_with_params()
        attended_sql, attended_params = attended.query.sql_with_params()
    except EmptyResultSet:
        return {}, {}
    sql = (
        # Each person of the roster is looked up in the attendance (an index probe per person),
        # rather than collecting every attendance of the year in the province first.
        f"WITH roster (township_id, person_id) AS ({roster_sql}), "
        "marked AS (SELECT r.township_id, r.person_id, "
        f"EXISTS (SELECT 1 FROM ({attended_sql}) a WHERE a.person_id = r.person_id) AS trained "
        "FROM roster r) "
        + (
            "SELECT 't', m.township_id, count(*), count(*) FILTER (WHERE m.trained) FROM marked m "
            "GROUP BY m.township_id "
            "UNION ALL "
            if per_township
            else ""
        )
        +
        # A person once per county (``trained`` is the person's): hashed, not sorted.
        "SELECT 'c', d.county_id, count(*), count(*) FILTER (WHERE d.trained) FROM ("
        "SELECT DISTINCT tw.county_id, m.person_id, m.trained "
        "FROM marked m JOIN villages_township tw ON tw.id = m.township_id) d GROUP BY d.county_id"
    )
    per_township, per_county = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*roster_params, *attended_params))
        for level, pk, expected, trained in cursor.fetchall():
            (per_township if level == "t" else per_county)[pk] = (expected, trained)
    return per_township, per_county


@dataclass
class CoverageRow:
    unit: object  # a Township or a County
    county: object
    expected: int
    trained: int

    @property
    def untrained(self) -> int:
        return self.expected - self.trained

    @property
    def percent(self) -> Decimal | None:
        """trained / expected in percent, one decimal, half up; None when nobody is to be trained."""
        if not self.expected:
            return None
        value = Decimal(self.trained * 100) / Decimal(self.expected)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage(
    user, *, year: int, today: dt.date | None = None, county=None, per_township: bool = True
) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Per current township in scope (of ``county`` when given) and per county (distinct people
    across its townships): three queries. ``per_township=False``: the county rows alone (an admin's
    first level across a province), two queries."""
    day = coverage_day(year, today)
    current = townships_visible_to(user).filter(valid_to__isnull=True)
    if county is not None:
        current = current.filter(county=county)
    if not per_township:
        counties = list(County.objects.filter(pk__in=current.values("county_id")).order_by("code"))
        _none, per_county = _coverage_counts(
            current.order_by().values("pk"), year=year, day=day, per_township=False
        )
        return [], [CoverageRow(c, c, *per_county.get(c.pk, (0, 0))) for c in counties]
    townships = list(current.select_related("county").order_by("county__code", "code"))
    # An admin's province: the townships as a subquery, not 3,000 ids for the planner to read.
    ids = current.order_by().values("pk") if len(townships) > 500 else [t.pk for t in townships]
    per_township, per_county = _coverage_counts(ids, year=year, day=day)
    result = [
        CoverageRow(township, township.county, *per_township.get(township.pk, (0, 0)))
        for township in townships
    ]
    counties = {township.county_id: township.county for township in townships}
    totals = [CoverageRow(c, c, *per_county.get(pk, (0, 0))) for pk, c in counties.items()]
    return result, totals


def untrained_people(townships, *, year: int, today: dt.date | None = None) -> QuerySet[Person]:
    """The people to be trained in ``townships`` (already visible to the user) who have not attended
    a class in ``year``, with the posts and stationings that make them count (three queries)."""
    day = coverage_day(year, today)
    posts = _covered_post(day, townships)
    stationings = _covered_stationing(day, townships)
    # Driven by the few posts and stationings (an index range), not by a test per person: a
    # province has a million people.
    holders = posts.order_by().values("person_id").union(stationings.order_by().values("person_id"))
    return (
        Person.objects.filter(pk__in=holders)
        .exclude(attended_q(year))
        .select_related("home_village__township")
        .prefetch_related(
            Prefetch("posts", queryset=posts.select_related("village__township"), to_attr="covered_posts"),
            Prefetch(
                "stationings",
                queryset=stationings.select_related("village__township"),
                to_attr="covered_stationings",
            ),
        )
        .order_by("home_village__code", "name", "pk")
    )


# ---------------------------------------------------------------- classes against the target


@dataclass
class TargetRow:
    county: object
    target: int
    county_classes: int
    township_classes: int

    @property
    def met(self) -> bool:
        return self.county_classes >= self.target


def classes_against_target(user, *, year: int, counties) -> list[TargetRow]:
    """Per county: its own classes starting in ``year`` against ``TrainingTarget`` (the row in force
    on 1 January), and its townships' classes: two queries however many counties."""
    counts = {
        row["county_id"]: row
        for row in classes_visible_to(user)
        .filter(start_date__year=year)
        .values("county_id")
        .annotate(
            own=Count("pk", filter=Q(township__isnull=True)),
            townships=Count("pk", filter=Q(township__isnull=False)),
        )
        .order_by()
    }
    # The row in force on 1 January (``CountyPolicy.ordered_sql``), the model's default without one.
    in_force = TrainingTarget.ordered_sql(OuterRef("pk"), dt.date(year, 1, 1))
    default = TrainingTarget._meta.get_field("classes_per_year").default
    targets = (
        dict(
            County.objects.filter(pk__in=[county.pk for county in counties])
            .annotate(target=Coalesce(Subquery(in_force.values("classes_per_year")[:1]), Value(default)))
            .values_list("pk", "target")
        )
        if counties
        else {}
    )
    rows = []
    for county in counties:
        found = counts.get(county.pk, {})
        rows.append(TargetRow(county, targets[county.pk], found.get("own", 0), found.get("townships", 0)))
    return rows


def person_attendances(person: Person) -> QuerySet[Attendance]:
    """A person's attendance records, newest class first (the reserve cadre page's section)."""
    return person.training_attendances.select_related(
        "training_class__county", "training_class__township"
    ).order_by("-training_class__start_date")


def village_coverage(
    village, *, year: int, today: dt.date | None = None
) -> list[tuple[Person, list[str], bool]]:
    """The village's people to be trained in ``year`` (its secretary, director and first secretary on
    the coverage day), each with their roles and whether they attended a class in the year: one
    query (the village page's section)."""
    day = coverage_day(year, today)
    posts = Post.objects.filter(active_on_q(day), village=village, person=OuterRef("pk"))
    stationed = Exists(Stationing.objects.filter(stationed_on_q(day), village=village, person=OuterRef("pk")))
    # Start from the village's few post holders (a province has a million people).
    # One IN over a UNION: PostgreSQL reads "pk IN (a) OR pk IN (b)" by testing every person.
    holders = (
        Post.objects.filter(
            active_on_q(day), village=village, position__in=[Position.SECRETARY, Position.DIRECTOR]
        )
        .order_by()
        .values("person_id")
    )
    sent = Stationing.objects.filter(stationed_on_q(day), village=village).order_by().values("person_id")
    people = (
        Person.objects.filter(pk__in=holders.union(sent))
        .annotate(
            is_secretary=Exists(posts.filter(position=Position.SECRETARY)),
            is_director=Exists(posts.filter(position=Position.DIRECTOR)),
            is_stationed=stationed,
            trained=attended_q(year),
        )
        .filter(Q(is_secretary=True) | Q(is_director=True) | Q(is_stationed=True))
        .order_by("name", "pk")
    )
    labels = [
        ("is_secretary", Position.SECRETARY.label),
        ("is_director", Position.DIRECTOR.label),
        ("is_stationed", Audience.FIRST_SECRETARY.label),
    ]
    return [(p, [str(label) for name, label in labels if getattr(p, name)], p.trained) for p in people]
