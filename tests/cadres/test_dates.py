"""Calendar arithmetic the cadre rules stand on: whole months (talk within a month, a year as
activist, a year of probation, 6-12 months' extension, five-year terms) and age on a day.

Every expected date is written out from the calendar, never computed by the code under test."""

import datetime as dt

import pytest

from cadres.services import add_months
from tests.cadres.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 6, 1), 0, D(2025, 6, 1)),
        (D(2025, 6, 1), 1, D(2025, 7, 1)),
        (D(2025, 6, 30), 1, D(2025, 7, 30)),  # a 31-day month: the 30th stays the 30th
        (D(2025, 3, 31), 1, D(2025, 4, 30)),  # April has 30 days: clamped to its end
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # common year
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 1, 29), 1, D(2024, 2, 29)),  # not clamped: 29 February exists in 2024
        (D(2023, 1, 29), 1, D(2023, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # over the year end
        (D(2025, 11, 30), 2, D(2026, 1, 30)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # shortest extension of probation from a month end
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # one year after a leap day
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # four years after: a leap day again
        (D(2021, 4, 1), 60, D(2026, 4, 1)),  # a five-year term
        (D(2025, 1, 15), 11, D(2025, 12, 15)),  # the last month of the same year
        (D(2025, 1, 15), 12, D(2026, 1, 15)),  # exactly one year
        (D(2025, 3, 31), -1, D(2025, 2, 28)),  # backwards, clamped
        (D(2025, 1, 15), -1, D(2024, 12, 15)),  # backwards over the year start
    ],
)
def test_add_months_moves_whole_months_and_clamps_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected, f"{day} + {months} months should be {expected}"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2005, 3, 2), D(2023, 3, 1), 17),  # the day before the 18th birthday
        (D(2005, 3, 2), D(2023, 3, 2), 18),  # the birthday itself
        (D(2005, 3, 2), D(2023, 3, 3), 18),
        (D(2004, 2, 29), D(2022, 2, 28), 17),  # born on a leap day: 18 only on 1 March
        (D(2004, 2, 29), D(2022, 3, 1), 18),
        (D(2005, 12, 31), D(2023, 12, 30), 17),
        (D(2005, 12, 31), D(2023, 12, 31), 18),
    ],
)
def test_age_counts_completed_years(born, on, age, village):
    person = PersonFactory.build(home_village=village, birth_date=born)
    assert person.age_on(on) == age, f"born {born}: {age} years old on {on}"


def test_a_five_year_term_started_on_a_leap_day_ends_on_28_february(village):
    from cadres import services

    person = PersonFactory(home_village=village)
    post = services.post_create(
        person=person, village=village, committee="villagers", position="member", start_date=D(2024, 2, 29)
    )
    assert post.term_end == D(2029, 2, 28)
