"""两述一评: one per cadre and year, only for someone who held a post in the village that year."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import services
from cadres.models import Committee, Evaluation, Performance, Position
from tests.cadres.factories import PostFactory

pytestmark = pytest.mark.django_db


def _record(person, village, year=2025, evaluated_on=dt.date(2026, 1, 15)):
    return services.evaluation_record(
        person=person,
        village=village,
        year=year,
        performance=Performance.INCOMPETENT,
        integrity="good",
        evaluated_on=evaluated_on,
    )


def _post(village, **dates):
    return PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.MEMBER, **dates)


@pytest.mark.parametrize(
    ("start", "end", "allowed"),
    [
        (dt.date(2025, 12, 31), None, True),  # took office on the year's last day
        (dt.date(2026, 1, 1), None, False),  # took office after the year
        (dt.date(2021, 4, 1), dt.date(2025, 1, 1), True),  # left on the year's first day
        (dt.date(2021, 4, 1), dt.date(2024, 12, 31), False),  # left before the year
    ],
)
def test_only_someone_holding_a_post_in_the_year_is_evaluated(village, start, end, allowed):
    post = _post(village, start_date=start, term_end=start + dt.timedelta(days=1800), end_date=end)
    if allowed:
        assert _record(post.person, village).history.count() == 1
        return
    with pytest.raises(ValidationError) as exc:
        _record(post.person, village)
    assert exc.value.messages == [
        services.EVALUATION_NOT_A_CADRE % {"name": post.person.name, "year": 2025, "village": village.name}
    ]
    assert not Evaluation.objects.exists()


def test_a_post_in_another_village_does_not_count(village, other_village):
    post = _post(other_village)
    with pytest.raises(ValidationError):
        _record(post.person, village)


def test_the_review_cannot_be_dated_before_the_year(village):
    post = _post(village)
    with pytest.raises(ValidationError) as exc:
        _record(post.person, village, evaluated_on=dt.date(2024, 12, 31))
    assert exc.value.messages == [services.EVALUATION_BEFORE_YEAR % {"year": 2025}]
    _record(post.person, village, evaluated_on=dt.date(2025, 1, 1))


def test_a_cadre_is_evaluated_once_a_year(village):
    post = _post(village)
    _record(post.person, village)
    with pytest.raises(ValidationError) as exc:
        _record(post.person, village, evaluated_on=dt.date(2026, 2, 1))
    assert exc.value.messages == ["该人员本年度已有两述一评记录。"]
    assert Evaluation.objects.count() == 1
