"""Far-future dates and impossible years in the cadre pages: refused where they are typed; a far
date stored before the forms refused it makes a later step say so instead of failing (five-year
terms and one-year probations are added to these dates: past year 9999 Python's calendar ends)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres.models import Development, DevelopmentStage, Post
from cadres.services import add_months
from tests.cadres.factories import DevelopmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "日期须在1900-01-01至2100-12-31之间。"


def _field_errors(response, name):
    return response.context["form"].errors[name]


def test_an_application_dated_9999_is_refused_on_its_field(staff_client, village):
    person = PersonFactory(home_village=village, birth_date=dt.date(1995, 1, 1))
    data = {"person": person.public_id, "village": village.code, "applied_on": "9999-12-31"}
    response = staff_client.post(reverse("cadres:development_create"), data)
    assert response.status_code == 400
    assert _field_errors(response, "applied_on") == [OUT_OF_RANGE]
    assert not Development.objects.exists()


def test_a_post_starting_in_9999_is_refused_on_its_field(staff_client, village):
    person = PersonFactory(home_village=village)
    data = {
        "person": person.public_id,
        "village": village.code,
        "position": "member",
        "start_date": "9999-12-31",
    }
    response = staff_client.post(reverse("cadres:post_create"), data)
    assert response.status_code == 400
    assert _field_errors(response, "start_date") == [OUT_OF_RANGE]
    assert not Post.objects.exists()


def test_a_birth_date_in_year_1_is_refused_on_its_field(staff_client, village):
    data = {
        "name": "新人乙",
        "sex": "male",
        "ethnicity": "藏族",
        "birth_date": "0001-01-01",
        "home_village": village.code,
    }
    response = staff_client.post(reverse("cadres:person_create"), data)
    assert response.status_code == 400
    assert _field_errors(response, "birth_date") == [OUT_OF_RANGE]


def test_a_far_activist_date_stored_earlier_makes_the_next_step_an_error_not_a_crash(staff_client, village):
    development = DevelopmentFactory(
        village=village,
        stage=DevelopmentStage.ACTIVIST,
        applied_on=dt.date(2024, 1, 10),
        talked_on=dt.date(2024, 1, 20),
        activist_on=dt.date(9999, 6, 1),
    )
    url = reverse("cadres:development_action", args=[development.public_id, "candidate"])
    response = staff_client.post(url, {"candidate-on": "2026-06-01"})
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert Development.objects.get().stage == DevelopmentStage.ACTIVIST


def test_months_added_past_year_9999_are_a_validation_error():
    with pytest.raises(ValidationError) as exc:
        add_months(dt.date(9999, 6, 1), 12)
    assert exc.value.messages == [OUT_OF_RANGE]


def test_a_five_year_term_from_the_last_accepted_day_is_still_a_date():
    assert add_months(dt.date(2100, 12, 31), 60) == dt.date(2105, 12, 31)


@pytest.mark.parametrize("year", ["9" * 5000, "²⁰²⁶", "0000", "9999", "20266"])
def test_the_compliance_page_answers_400_for_a_year_no_plan_can_have(official_client, year):
    response = official_client.get(reverse("cadres:compliance"), {"year": year})
    assert response.status_code == 400
    assert response.context["year"] is None


def test_the_compliance_page_shows_a_plan_year_in_the_span(official_client):
    response = official_client.get(reverse("cadres:compliance"), {"year": "2100"})
    assert response.status_code == 200
    assert response.context["year"] == 2100
