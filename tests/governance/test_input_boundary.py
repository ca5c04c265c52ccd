"""Input refused where it enters (governance/boundary.py, governance/fields.py): each cause the fuzz
test (tests/test_fuzz.py) found, stated once as the rule a user or script runs into."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.fields import DateField
from supervision.models import ReportingPolicy
from tests.supervision.factories import ReportFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "日期须在1900-01-01至2100-12-31之间。"
NUL_REFUSED = "请求中含有空字符（NUL），无法处理。"


class _OnForm(forms.Form):
    on = DateField()


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("typed", ["9999-12-31", "2101-01-01", "1899-12-31", "0001-01-01"])
def test_a_date_outside_1900_to_2100_is_refused_with_its_message(typed):
    form = _OnForm({"on": typed})
    assert not form.is_valid()
    assert form.errors["on"] == [OUT_OF_RANGE]


@pytest.mark.parametrize(
    ("typed", "day"), [("1900-01-01", dt.date(1900, 1, 1)), ("2100-12-31", dt.date(2100, 12, 31))]
)
def test_the_first_and_last_day_of_the_span_are_accepted(typed, day):
    form = _OnForm({"on": typed})
    assert form.is_valid()
    assert form.cleaned_data["on"] == day


def test_the_date_picker_offers_only_the_span(staff_client, village):
    html = staff_client.get(reverse("cadres:development_create")).content.decode()
    assert 'type="date" name="applied_on" min="1900-01-01" max="2100-12-31"' in html


def test_a_far_date_in_a_list_filter_is_the_filters_error_not_a_crash(official_client):
    response = official_client.get(reverse("cadres:reveal_list"), {"date_to": "9999-12-31"})
    assert response.status_code == 200  # the list shows the filter's error and no rows
    assert response.context["filter"].errors["date_to"] == [OUT_OF_RANGE]


# ---------------------------------------------------------------- NUL bytes


def test_a_nul_byte_in_a_query_parameter_answers_400(staff_client, village):
    response = staff_client.get(reverse("supervision:report_new"), {"village": "5133\x00"})
    assert response.status_code == 400
    assert response.content.decode() == NUL_REFUSED


def test_a_nul_byte_in_a_parameter_name_answers_400(staff_client):
    assert staff_client.get(reverse("supervision:grid_default") + "?town%00ship=1").status_code == 400


def test_a_nul_byte_in_a_posted_field_answers_400_and_saves_nothing(staff_client, village):
    from decisions.models import Matter

    data = {"village": village.code, "title": "修路\x00", "category": "project", "description": "x"}
    response = staff_client.post(
        reverse("decisions:matter_create"), {**data, "planned_completion": "2026-12-31"}
    )
    assert response.status_code == 400
    assert not Matter.objects.exists()


def test_a_nul_byte_in_the_path_answers_400(official_client, village):
    url = reverse("supervision:exception_open", args=[village.code, "2025-03"]).replace("2025-03", "2025%00")
    assert official_client.post(url, {"reason": "x"}).status_code == 400


def test_the_public_board_refuses_a_nul_byte_without_login(client):
    assert client.get(reverse("public:search"), {"village": "\x00"}).status_code == 400


# ---------------------------------------------------------------- the Django admin


def test_an_admin_list_action_on_a_malformed_row_key_answers_400(admin_client_, village):
    report = ReportFactory(village=village)
    url = reverse("admin:supervision_report_changelist")
    data = {"action": "delete_selected", "index": "0", "_selected_action": ["2026-01-01"]}
    assert admin_client_.post(url, data).status_code == 400
    assert admin_client_.post(url, {**data, "_selected_action": [str(report.pk)]}).status_code == 200


def test_an_admin_autocomplete_field_with_a_malformed_key_answers_400(admin_client_):
    data = {"username": "newuser", "password1": "", "password2": "", "role": "county", "county": "2002-08-01"}
    assert admin_client_.post(reverse("admin:governance_user_add"), data).status_code == 400


def test_an_admin_date_filter_with_a_huge_year_answers_400(admin_client_):
    url = reverse("admin:decisions_matter_changelist")
    assert admin_client_.get(url, {"created_at__year": "513301000000"}).status_code == 400
    assert admin_client_.get(url, {"created_at__year": "2026"}).status_code == 200


def test_a_reporting_calendar_with_a_huge_due_day_is_a_form_error():
    policy = ReportingPolicy(annual_due_month=1, annual_due_day=10**20)
    with pytest.raises(ValidationError) as exc:
        policy.clean()
    assert exc.value.message_dict == {"annual_due_day": ["年度述职截止日不是有效日期。"]}
