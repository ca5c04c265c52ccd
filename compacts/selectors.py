"""Reads of village compacts, scoped to the user's jurisdiction (DESIGN §1).

"Current" = the latest adopted version of a village and kind. "Revised since D" = the village has a
version (of the chosen kind, or of either kind) adopted on or after D. Both are computed in SQL: the
list of villages is one query (plus the count), its counts one more, whatever the number of villages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from compacts.models import CompactAttachment, CompactCorrection, CompactVersion, Kind
from compacts.services import ADOPTING_STATES
from decisions.models import Matter
from governance.scoping import scope
from villages.models import Village
from villages.selectors import townships_visible_to, villages_visible_to


def versions_visible_to(user) -> QuerySet[CompactVersion]:
    return scope(
        CompactVersion.objects.select_related("village__township", "matter", "recorded_by"),
        user,
        township_path="village__township",
    )


def version_detail_for(user) -> QuerySet[CompactVersion]:
    return versions_visible_to(user).prefetch_related(
        Prefetch("attachments", queryset=CompactAttachment.objects.select_related("uploaded_by")),
        Prefetch("corrections", queryset=CompactCorrection.objects.select_related("corrected_by")),
    )


def attachments_visible_to(user) -> QuerySet[CompactAttachment]:
    return scope(
        CompactAttachment.objects.select_related("compact"),
        user,
        township_path="compact__village__township",
    )


def visible_village(user, code: str) -> Village | None:
    return villages_visible_to(user).filter(code=code).first()


def adopting_matters(village: Village) -> QuerySet[Matter]:
    """The village's matters that may have adopted a version: those that reached 决议 (the village
    is one the user reads: callers take it from ``villages_visible_to``)."""
    return Matter.objects.filter(
        village=village, state__in=ADOPTING_STATES, resolved_on__isnull=False
    ).order_by("-resolved_on", "title")


def village_versions(village: Village) -> QuerySet[CompactVersion]:
    """Every version of ``village``, each kind's newest first (one query)."""
    return (
        CompactVersion.objects.filter(village=village)
        .select_related("matter")
        .annotate(attachment_count=Count("attachments"))
        .order_by("kind", "-adopted_on")
    )


def versions_by_kind(village: Village) -> list[dict]:
    """Per kind (村规民约, then 文明公约): ``current`` (the latest adopted version, or None) and
    ``earlier`` (the others, newest first), from ``village_versions`` (one query)."""
    versions = list(village_versions(village))
    groups = []
    for kind in Kind:
        rows = [v for v in versions if v.kind == kind]
        groups.append({"kind": kind, "current": rows[0] if rows else None, "earlier": rows[1:]})
    return groups


def current_versions(village: Village) -> dict[str, CompactVersion]:
    """kind → the current (latest adopted) version of ``village``: one query (DISTINCT ON)."""
    rows = (
        CompactVersion.objects.filter(village=village)
        .order_by("kind", "-adopted_on")
        .distinct("kind")
        .only("public_id", "kind", "text", "adopted_on", "village_id")
    )
    return {row.kind: row for row in rows}


def _revised_q(since: dt.date | None, kind: str | None) -> Q:
    q = Q()
    if since is not None:
        q &= Q(compact_versions__adopted_on__gte=since)
    if kind:
        q &= Q(compact_versions__kind=kind)
    return q


def village_compacts(user, *, since: dt.date | None = None, kind: str | None = None) -> QuerySet[Village]:
    """Current villages in scope with the dates of their current 村规民约 (``rules_on``) and 文明公约
    (``civility_on``), their number of versions, and ``revised_on``: the latest version of ``kind``
    (either kind when empty) adopted on or after ``since`` (any when None), or None."""
    return (
        villages_visible_to(user)
        .filter(valid_to__isnull=True)
        .select_related("township")
        .annotate(
            rules_on=Max("compact_versions__adopted_on", filter=Q(compact_versions__kind=Kind.RULES)),
            civility_on=Max("compact_versions__adopted_on", filter=Q(compact_versions__kind=Kind.CIVILITY)),
            revised_on=Max("compact_versions__adopted_on", filter=_revised_q(since, kind)),
        )
    )


@dataclass
class Counts:
    villages: int
    with_rules: int
    with_civility: int
    revised: int

    @property
    def not_revised(self) -> int:
        return self.villages - self.revised


def counts(villages: QuerySet[Village]) -> Counts:
    """The figures at the top of the list, over ``villages`` (from ``village_compacts``, filtered
    but not yet by revised / not revised): one query."""
    figures = villages.order_by().aggregate(
        villages=Count("pk"),
        with_rules=Count("pk", filter=Q(rules_on__isnull=False)),
        with_civility=Count("pk", filter=Q(civility_on__isnull=False)),
        revised=Count("pk", filter=Q(revised_on__isnull=False)),
    )
    return Counts(**figures)


@dataclass
class TownshipRevision:
    township: object
    villages: int
    revised: int

    @property
    def percent(self) -> Decimal | None:
        if not self.villages:
            return None
        return (Decimal(self.revised * 100) / self.villages).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def revisions_by_township(user, *, since: dt.date) -> list[TownshipRevision]:
    """Per current township in scope: its current villages and how many of them adopted a version
    (either kind) on or after ``since``: one query."""
    revised = Q(villages__valid_to__isnull=True, villages__compact_versions__adopted_on__gte=since)
    townships = (
        townships_visible_to(user)
        .filter(valid_to__isnull=True)
        .select_related("county")
        .annotate(
            village_count=Count("villages", filter=Q(villages__valid_to__isnull=True), distinct=True),
            revised_count=Count("villages", filter=revised, distinct=True),
        )
        .order_by("county__code", "code")
    )
    return [TownshipRevision(t, t.village_count, t.revised_count) for t in townships]
