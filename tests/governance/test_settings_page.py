"""/settings/ (DESIGN §7, issue item 5): each county's officials see and schedule their county's
policy (reporting calendar, 3512 quota, 审议 thresholds); admins any county's and the default."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cadres.models import ReserveQuota
from decisions.models import DecisionPolicy
from supervision.models import ReportingPolicy
from tests.factories import CountyFactory, CountyOfficialFactory

pytestmark = pytest.mark.django_db

URL = "/settings/"
TODAY = timezone.localdate()
NEXT_MONTH = (TODAY.replace(day=28) + dt.timedelta(days=5)).replace(day=1)

CALENDAR = {
    "monthly_due_day": 10,
    "quarterly_due_day": 10,
    "annual_due_month": 1,
    "annual_due_day": 31,
    "lock_after_days": 30,
    "remind_before_days": 3,
    "escalate_after_days": 10,
    "reminder_lookback_days": 60,
}
QUOTA = {"min_count": 3, "max_count": 5, "min_background": 1, "max_background": 2}
RULES = {
    "review_quorum_num": 2,
    "review_quorum_den": 3,
    "review_approval_num": 1,
    "review_approval_den": 2,
    "notice_period_days": 7,
}


def post(section, values, day=NEXT_MONTH, **extra):
    data = {"section": section, f"{section}-effective_from": day.isoformat(), **extra}
    data.update({f"{section}-{k}": v for k, v in values.items()})
    return data


@pytest.fixture
def other_county(db):
    return CountyFactory(code="513322000000", name="泸定县")


def test_a_county_official_sees_the_three_sections_with_the_defaults(official_client):
    response = official_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("监督报告报送日历", "3512 后备干部配备标准", "四议两公开：审议比例与决议公示期"):
        assert title in page
    assert "康定市政策设置" in page


def test_scheduling_the_reporting_deadline_for_next_month(official_client, official):
    response = official_client.post(URL, post("supervision", CALENDAR))
    assert response.status_code == 302
    row = ReportingPolicy.objects.get(county=official.county)
    assert (row.effective_from, row.monthly_due_day, row.changed_by) == (NEXT_MONTH, 10, official)
    page = official_client.get(URL).content.decode()
    assert "已安排的修改" in page and NEXT_MONTH.isoformat() in page and "official" in page
    # In force from next month only.
    assert ReportingPolicy.effective(official.county, on=TODAY).monthly_due_day == 5
    assert ReportingPolicy.effective(official.county, on=NEXT_MONTH).monthly_due_day == 10


@pytest.mark.parametrize(
    ("section", "values", "field", "message"),
    [
        ("supervision", {**CALENDAR, "monthly_due_day": 29}, "monthly_due_day", ""),  # due day out of range
        ("supervision", {**CALENDAR, "monthly_due_day": 0}, "monthly_due_day", ""),
        (
            "supervision",
            {**CALENDAR, "annual_due_month": 2, "annual_due_day": 30},
            "annual_due_day",
            "不是有效日期",
        ),
        ("cadres", {**QUOTA, "min_count": -1}, "min_count", ""),  # negative
        (
            "cadres",
            {**QUOTA, "min_count": 6, "max_count": 5},
            None,
            "最少人数不能多于最多人数",
        ),  # min above max
        (
            "decisions",
            {**RULES, "review_quorum_num": 4, "review_quorum_den": 3},
            "review_quorum_num",
            "分子不能大于分母",
        ),
        ("decisions", {**RULES, "review_approval_num": 3}, "review_approval_num", "分子不能大于分母"),
    ],
)
def test_bad_values_are_refused_with_the_message_and_kept(official_client, section, values, field, message):
    response = official_client.post(URL, post(section, values))
    assert response.status_code == 400
    page = response.content.decode()
    if message:
        assert message in page
    panel = next(context for _t, context in response.context["panels"] if context["section"] == section)
    form = panel["form"]
    assert form.errors and (field is None or field in form.errors)
    for name, value in values.items():
        assert str(form[name].value()) == str(value)  # what was typed is kept
    assert not ReportingPolicy.objects.filter(county__isnull=False).exists()
    assert not ReserveQuota.objects.filter(county__isnull=False).exists()
    assert not DecisionPolicy.objects.filter(county__isnull=False).exists()


@pytest.mark.parametrize("days", [1, 30])
def test_backdating_is_refused(official_client, days):
    response = official_client.post(URL, post("cadres", QUOTA, day=TODAY - dt.timedelta(days=days)))
    assert response.status_code == 400
    assert "生效日期不能早于今天" in response.content.decode()
    assert not ReserveQuota.objects.filter(county__isnull=False).exists()


def test_today_is_accepted(official_client, official):
    assert official_client.post(URL, post("cadres", QUOTA, day=TODAY)).status_code == 302
    assert ReserveQuota.objects.get(county=official.county).effective_from == TODAY


def test_another_countys_settings_are_not_found(official_client, other_county, county):
    assert official_client.get(f"{URL}?county={other_county.code}").status_code == 404
    assert official_client.get(f"{URL}?county=000000000000").status_code == 404
    assert official_client.get(f"{URL}?county={county.code}").status_code == 200


def test_a_post_to_another_county_is_not_found_and_saves_nothing(official_client, other_county):
    response = official_client.post(f"{URL}?county={other_county.code}", post("cadres", QUOTA))
    assert response.status_code == 404
    assert not ReserveQuota.objects.filter(county__isnull=False).exists()


def test_township_staff_are_refused(staff_client):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, post("cadres", QUOTA)).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    assert client.get(URL).status_code == 302


def opened(client, url, section) -> dict:
    """The hidden fields of ``section``'s form as the page gives them (the row it was opened at)."""
    response = client.get(url)
    form = next(context for _t, context in response.context["panels"] if context["section"] == section)[
        "form"
    ]
    return {
        f"{section}-{field.name}": field.value()
        for field in form.hidden_fields()
        if field.value() is not None
    }


def test_admins_set_the_default_and_any_county(admin_client_, other_county):
    # The deployment default may already have a row (saved before county policy): the form carries it.
    hidden = opened(admin_client_, URL, "cadres")
    assert admin_client_.post(URL, post("cadres", QUOTA, **hidden)).status_code == 302
    assert ReserveQuota.objects.filter(county__isnull=True, effective_from=NEXT_MONTH).exists()
    url = f"{URL}?county={other_county.code}"
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.post(url, post("cadres", {**QUOTA, "min_count": 2})).status_code == 302
    assert ReserveQuota.objects.get(county=other_county).min_count == 2


def test_a_stale_form_is_refused_with_who_changed_it(official_client, official):
    first = official_client.post(URL, post("cadres", QUOTA))
    assert first.status_code == 302
    row = ReserveQuota.objects.get(county=official.county)
    # Another official changes it after this user opened the page (version 1 → 2).
    stale = post("cadres", {**QUOTA, "min_count": 4}, **{"cadres-based_on": row.pk, "cadres-version": 1})
    ReserveQuota.objects.filter(pk=row.pk).update(version=2)
    response = official_client.post(URL, stale)
    assert response.status_code == 400
    assert ReserveQuota.objects.get(county=official.county).min_count == 3


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_keeps_its_query_count(official_client, official, rows, django_assert_max_num_queries):
    for k in range(rows):
        ReportingPolicy.objects.create(county=official.county, effective_from=TODAY + dt.timedelta(days=k))
        ReserveQuota.objects.create(county=official.county, effective_from=TODAY + dt.timedelta(days=k))
    with django_assert_max_num_queries(14):
        assert official_client.get(URL).status_code == 200


def test_a_second_county_official_sees_only_their_county(other_county, client):
    ReserveQuota.objects.create(county=other_county, effective_from=NEXT_MONTH, min_count=2)
    user = CountyOfficialFactory(username="luding", county=other_county)
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "泸定县政策设置" in page and NEXT_MONTH.isoformat() in page
