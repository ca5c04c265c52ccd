"""Reads of 四议两公开. Staff reads go through ``scope``; the public board reads only disclosed matters."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from decisions.models import (
    PUBLIC_STATES,
    STEP_SLUGS,
    Attachment,
    Matter,
    MatterTally,
    Step,
    StepCorrection,
    StepKind,
)
from governance.scoping import scope
from villages.models import County, Township, Village

OVERDUE_RESOLUTION = "resolution"
OVERDUE_RESULT = "result"


def overdue_q(*, today: dt.date | None = None) -> tuple[Q, Q]:
    """(resolution overdue, result overdue) as SQL conditions.

    Resolution: voted through, but not disclosed within the notice period after the vote.
    Result: resolution passed, but the result is not disclosed after the planned completion date.
    """
    today = today or timezone.localdate()
    # ``disclose_by`` is kept by the services with the notice period in force at the vote.
    resolution = Q(state=Matter.State.RESOLVED) & Q(disclose_by__lt=today)
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


STATE_FIGURES = ["total", *Matter.State.values]
OVERDUE_FIGURES = ["overdue_resolution", "overdue_result", "overdue"]


def _overdue_figures() -> dict:
    resolution, result = overdue_q()
    return {
        "overdue_resolution": Count("pk", filter=resolution),
        # Exclusive, like ``overdue_kind``: a matter late with its resolution counts there only.
        "overdue_result": Count("pk", filter=result & ~resolution),
        "overdue": Count("pk", filter=resolution | result),
    }


def _late_candidates(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    """The only matters that can be overdue (a small share: resolved or disclosed), so counting them
    reads an index range instead of every matter."""
    return queryset.order_by().filter(state__in=[Matter.State.RESOLVED, Matter.State.DISCLOSED])


def _with_in_progress(figures: dict) -> dict:
    figures["in_progress"] = sum(figures[state] for state in IN_PROGRESS_STATES)
    return figures


def matter_counts(queryset: QuerySet[Matter]) -> dict:
    """Counts by state and overdue for any scoped queryset of matters (a village's, a filtered
    list's): one aggregate query over the matters."""
    figures = queryset.order_by().aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in Matter.State.values},
        **_overdue_figures(),
    )
    return _with_in_progress(figures)


def jurisdiction_matter_counts(user) -> dict:
    """``matter_counts`` of everything in the user's jurisdiction (home page): the states summed
    from the villages' ``MatterTally`` rows, overdue from the few matters that can be late."""
    tally = scope(MatterTally.objects.all(), user, township_path="village__township")
    figures = tally.aggregate(**{name: Coalesce(Sum(name), 0) for name in STATE_FIGURES})
    figures.update(_late_candidates(matters_visible_to(user)).aggregate(**_overdue_figures()))
    return _with_in_progress(figures)


def late_matters(user, *, limit: int) -> list[Matter]:
    """At most ``limit`` overdue matters of the user's jurisdiction, the longest overdue first, each
    with ``late_step`` (the slug of the disclosure step to record) and ``late_since`` (the day it
    fell due): for the township's home page."""
    resolution, result = overdue_q()
    matters = list(
        _late_candidates(matters_visible_to(user))
        .filter(resolution | result)
        .annotate(late_since=Case(When(resolution, then=F("disclose_by")), default=F("planned_completion")))
        .order_by("late_since", "pk")[:limit]
    )
    for matter in matters:
        matter.late_step = STEP_SLUGS[
            StepKind.DISCLOSE_RESOLUTION
            if matter.overdue_kind == OVERDUE_RESOLUTION
            else StepKind.DISCLOSE_RESULT
        ]
    return matters


def matter_counts_by_township(user) -> tuple[list[dict], dict]:
    """Per township of the user's jurisdiction: matters by state (from the villages' tally rows)
    and overdue (the ``?overdue=true`` filter's matters), and the totals over all rows: two grouped
    queries over one row per village and the few matters that can be late, for the dashboard."""
    from villages.selectors import roll_up_by_township

    tally = scope(MatterTally.objects.all(), user, township_path="village__township")
    rows = roll_up_by_township(
        tally.values("village_id").annotate(**{name: Sum(name) for name in STATE_FIGURES}).order_by(),
        figures=STATE_FIGURES,
    )
    late = {
        row["township_code"]: row
        for row in roll_up_by_township(
            _late_candidates(matters_visible_to(user)).values("village_id").annotate(**_overdue_figures()),
            figures=OVERDUE_FIGURES,
        )
    }
    for row in rows:
        for name in OVERDUE_FIGURES:
            row[name] = late.get(row["township_code"], {}).get(name, 0)
        _with_in_progress(row)
    totals = {name: sum(row[name] for row in rows) for name in [*STATE_FIGURES, *OVERDUE_FIGURES]}
    return rows, _with_in_progress(totals)


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
