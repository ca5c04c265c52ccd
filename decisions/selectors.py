"""Reads of 四议两公开. Staff reads go through ``scope``; the public board reads only disclosed matters."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions.models import PUBLIC_STATES, Attachment, DecisionPolicy, Matter, Step, StepCorrection, StepKind
from governance.scoping import scope
from villages.models import County, Township, Village

OVERDUE_RESOLUTION = "resolution"
OVERDUE_RESULT = "result"


def _notice_period_days():
    """The notice period each matter is judged by, as SQL: the one kept on its 决议 step when that
    step was recorded (``Step.rule_notice_days``), else the default policy's (a subquery each), so
    pages that count and list overdue matters need no query of their own for it."""
    default = DecisionPolicy._meta.get_field("notice_period_days").default
    # No ordering: at most one 决议 step per matter (and the default ordering joins the matter again).
    kept = (
        Step.objects.filter(matter=OuterRef("pk"), kind=StepKind.RESOLVE)
        .order_by()
        .values("rule_notice_days")[:1]
    )
    saved = DecisionPolicy.ordered_sql(None, timezone.localdate()).values("notice_period_days")[:1]
    return Coalesce(Subquery(kept), Subquery(saved), Value(default))


def overdue_q(*, today: dt.date | None = None, notice_days: int | None = None) -> tuple[Q, Q]:
    """(resolution overdue, result overdue) as SQL conditions.

    Resolution: voted through, but not disclosed within the notice period after the vote.
    Result: resolution passed, but the result is not disclosed after the planned completion date.
    """
    today = today or timezone.localdate()
    notice = _notice_period_days() if notice_days is None else Value(notice_days)
    # date - integer = date in PostgreSQL.
    cutoff = ExpressionWrapper(Value(today, output_field=DateField()) - notice, output_field=DateField())
    # The state test first: PostgreSQL stops at it, so the notice subquery runs for resolved matters only.
    resolution = Q(state=Matter.State.RESOLVED) & Q(resolved_on__lt=cutoff)
    result = Q(state__in=[Matter.State.RESOLVED, Matter.State.DISCLOSED], planned_completion__lt=today)
    return resolution, result


def with_overdue(queryset: QuerySet[Matter], *, today: dt.date | None = None) -> QuerySet[Matter]:
    """Annotate ``overdue_kind`` ("resolution", "result" or "") and ``is_overdue``, computed in SQL."""
    resolution, result = overdue_q(today=today)
    return queryset.annotate(
        overdue_kind=Case(
            When(resolution, then=Value(OVERDUE_RESOLUTION)),
            When(result, then=Value(OVERDUE_RESULT)),
            default=Value(""),
            output_field=CharField(),
        ),
        is_overdue=Case(
            When(resolution | result, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def matters_visible_to(user) -> QuerySet[Matter]:
    """Matters of the user's jurisdiction, with village/township/county loaded and overdue annotated."""
    queryset = Matter.objects.select_related("village__township__county")
    return with_overdue(scope(queryset, user, township_path="village__township"))


def matter_detail_for(user) -> QuerySet[Matter]:
    """``matters_visible_to`` plus the steps (with who recorded them) and attachments, for the matter page."""
    return matters_visible_to(user).prefetch_related(
        Prefetch("steps", queryset=Step.objects.select_related("recorded_by").order_by("kind")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
    )


def steps_visible_to(user) -> QuerySet[Step]:
    """Recorded steps of matters in the user's jurisdiction (for the step correction page)."""
    return scope(Step.objects.select_related("matter"), user, township_path="matter__village__township")


def step_corrections_for(user, *, matter: Matter) -> QuerySet[StepCorrection]:
    """Corrections of ``matter``'s steps, if the matter is in the user's jurisdiction (else none), with
    who corrected them: one query for the matter page however many there are."""
    queryset = StepCorrection.objects.filter(step__matter=matter).select_related("corrected_by")
    return scope(queryset, user, township_path="step__matter__village__township")


def attachments_visible_to(user) -> QuerySet[Attachment]:
    return scope(Attachment.objects.select_related("matter"), user, township_path="matter__village__township")


# Matters still being deliberated: no resolution voted yet.
IN_PROGRESS_STATES = [Matter.State.NEW, Matter.State.PROPOSED, Matter.State.CONSULTED, Matter.State.REVIEWED]


def matter_counts(queryset: QuerySet[Matter]) -> dict:
    """Counts by state and overdue for a scoped queryset: one aggregate query."""
    resolution, result = overdue_q()
    aggregates = {state: Count("pk", filter=Q(state=state)) for state in Matter.State.values}
    aggregates["total"] = Count("pk")
    aggregates["in_progress"] = Count("pk", filter=Q(state__in=IN_PROGRESS_STATES))
    aggregates["overdue_resolution"] = Count("pk", filter=resolution)
    # Exclusive, like ``overdue_kind``: a matter late with its resolution counts there only.
    aggregates["overdue_result"] = Count("pk", filter=result & ~resolution)
    aggregates["overdue"] = Count("pk", filter=resolution | result)
    return queryset.order_by().aggregate(**aggregates)


def matter_counts_by_township(queryset: QuerySet[Matter]) -> list[dict]:
    """Per township of a scoped queryset: matters in all, by the later states, and overdue (the
    ``?overdue=true`` filter's matters): one grouped query, for the dashboard."""
    resolution, result = overdue_q()
    return list(
        queryset.order_by()
        .values("village__township__code", "village__township__name", "village__township__county__name")
        .annotate(
            total=Count("pk"),
            resolved=Count("pk", filter=Q(state=Matter.State.RESOLVED)),
            disclosed=Count("pk", filter=Q(state=Matter.State.DISCLOSED)),
            completed=Count("pk", filter=Q(state=Matter.State.COMPLETED)),
            overdue=Count("pk", filter=resolution | result),
        )
        .order_by("village__township__code")
    )


# --- the public board (no login): only disclosed matters, no people ------------------------------


def public_matters() -> QuerySet[Matter]:
    """Matters whose resolution has been disclosed (决议公开 or 实施结果公开 done). Nothing else is
    public: not proposals, not votes in progress, not rejected matters, not who entered them."""
    return (
        Matter.objects.filter(state__in=PUBLIC_STATES)
        .select_related("village__township__county")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("kind")))
        .order_by("-resolution_disclosed_on", "-pk")
    )


def public_counties() -> QuerySet[County]:
    return County.objects.annotate(
        disclosed=Count(
            "townships__villages__matters", filter=Q(townships__villages__matters__state__in=PUBLIC_STATES)
        )
    ).order_by("code")


def public_township_units() -> QuerySet[Township]:
    """Every township, for the board's township pages (the hierarchy itself is public)."""
    return Township.objects.select_related("county")


def public_village_units() -> QuerySet[Village]:
    return Village.objects.select_related("township__county")


def public_townships(county: County) -> QuerySet[Township]:
    return county.townships.annotate(
        disclosed=Count("villages__matters", filter=Q(villages__matters__state__in=PUBLIC_STATES))
    ).order_by("code")


def public_villages(township: Township) -> QuerySet[Village]:
    return township.villages.annotate(
        disclosed=Count("matters", filter=Q(matters__state__in=PUBLIC_STATES))
    ).order_by("code")


def public_years() -> list[int]:
    """Years in which something was disclosed, newest first (for the search form)."""
    dates = Matter.objects.filter(state__in=PUBLIC_STATES).dates(
        "resolution_disclosed_on", "year", order="DESC"
    )
    return [d.year for d in dates]
