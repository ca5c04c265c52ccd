"""Reads of cadre records, always scoped to the user's jurisdiction through ``governance.scoping.scope``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from cadres.models import (
    Committee,
    Development,
    Evaluation,
    Performance,
    Person,
    Position,
    Post,
    ReserveCadre,
    active_on_q,
)
from governance.scoping import scope


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
        Development.objects.select_related("person", "village__township"), user, township_path="village__township"
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
