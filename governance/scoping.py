"""Jurisdiction scoping: the one function every selector uses (DESIGN §1).

Every model is scoped through the path from it to ``villages.Township``. A township user sees rows
of their township, a county official rows of their county, an admin everything, anyone else nothing.
Views never filter by jurisdiction themselves: they call an app's selector, which calls ``scope``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from governance.roles import Role, sees_everything


def jurisdiction_q(user, *, township_path: str) -> Q:
    """A Q limiting rows to ``user``'s jurisdiction.

    ``township_path`` is the lookup from the scoped model to its Township: ``"township"`` for a
    village, ``"village__township"`` for a report, ``""`` for Township itself.
    """
    prefix = f"{township_path}__" if township_path else ""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if sees_everything(user):
        return Q()
    if user.role == Role.TOWNSHIP_STAFF and user.township_id:
        return Q(**{f"{prefix}pk": user.township_id})
    if user.role == Role.COUNTY_OFFICIAL and user.county_id:
        return Q(**{f"{prefix}county_id": user.county_id})
    return Q(pk__in=[])


def scope(queryset: QuerySet, user, *, township_path: str) -> QuerySet:
    """``queryset`` limited to what ``user`` may read."""
    return queryset.filter(jurisdiction_q(user, township_path=township_path))


def get_visible_or_404(queryset: QuerySet, **lookup):
    """One row of an already scoped queryset; 404 both when it does not exist and when it is out of
    jurisdiction, so a URL never reveals that another township's record exists."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def county_reader(user, county):
    """The reader an admin's page about one county is computed for: an unsaved county official of
    ``county``, so every app's selectors scope it exactly as they scope that county's officials.
    Narrowing only (refused unless ``user`` already reads every county), and only for reading: it
    is never saved nor logged in, and the request keeps the admin as its user."""
    from governance.models import User

    if not sees_everything(user):
        raise PermissionDenied
    return User(username=user.get_username(), role=Role.COUNTY_OFFICIAL, county=county, is_active=True)
