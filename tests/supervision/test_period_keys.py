"""Period keys from URLs and forms: a year no record can have (0000, 9999) is "not a period" on
every page that reads one, never a server error (the date arithmetic behind a period overflows)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision.forms import PERIOD_FORMAT
from supervision.models import Report, ReportingPeriod

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


@pytest.mark.parametrize(
    "key", ["0000-01", "9999-12", "0000-Q1", "9999-Q4", "0000", "9999", "1999-12", "2101-01", " 202"]
)
def test_a_key_with_a_year_outside_2000_to_2100_is_no_period(key):
    assert ReportingPeriod.parse_key(key) is None


@pytest.mark.parametrize(
    ("key", "parsed"),
    [("2000-01", ("monthly", 2000, 1)), ("2100-Q4", ("quarterly", 2100, 4)), ("2100", ("annual", 2100, 1))],
)
def test_the_first_and_last_years_are_periods(key, parsed):
    assert ReportingPeriod.parse_key(key) == parsed


@pytest.mark.parametrize("key", ["0000-01", "9999-12", "9999"])
def test_the_county_table_answers_400_for_an_impossible_year(official_client, key):
    response = official_client.get(url("completeness"), {"period": key})
    assert response.status_code == 400
    assert response.context["bad_period"] is True


@pytest.mark.parametrize("key", ["0000-Q1", "9999-12"])
def test_the_new_report_page_ignores_an_impossible_period_in_its_link(staff_client, village, key):
    response = staff_client.get(url("report_new"), {"village": village.code, "period": key})
    assert response.status_code == 200
    assert "period" not in response.context or response.context.get("period") is None


@pytest.mark.parametrize("key", ["0000-01", "9999-12", "9999"])
def test_a_new_report_for_an_impossible_year_is_the_period_fields_error(staff_client, village, key):
    response = staff_client.post(url("report_new"), {"village": village.code, "period": key})
    assert response.status_code == 400
    assert response.context["form"].errors["period"] == [PERIOD_FORMAT]
    assert not Report.objects.exists()


def test_an_exception_for_an_impossible_year_is_not_found(official_client, village):
    response = official_client.post(url("exception_open", village.code, "0000-01"), {"reason": "补报"})
    assert response.status_code == 404


def test_the_grid_picker_refuses_an_impossible_month_with_a_sentence(staff_client, township):
    """[8/10]: an unknown or malformed period in the URL answers 400 with a sentence, not a silent
    jump to another month (a shared link must not show a different month than it names)."""
    response = staff_client.get(url("grid_default"), {"period": "9999-12"})
    assert response.status_code == 400
    assert "期次“9999-12”无法识别" in response.content.decode()
    assert staff_client.get(url("grid_default")).status_code == 302  # no period: the month being collected
