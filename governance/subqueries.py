"""Correlated subqueries the selectors share (plain ORM expressions; no app is imported)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet) -> Coalesce:
    """The number of rows of a correlated ``queryset`` (filtered on an ``OuterRef``) as an
    expression, 0 when there are none: a count per row of the page being shown, read from an
    index, rather than a GROUP BY over every row of the province joined to the list."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
