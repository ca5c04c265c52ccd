import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.models import Kind, Rectification, Report
from supervision.selectors import carried_items, rollup_figures, rollup_text
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _month(village, year, month, **kwargs):
    return ReportFactory(
        village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=year, number=month), **kwargs
    )


def test_an_item_found_in_a_month_shows_on_every_later_report_until_closed(village, staff):
    nov = _month(village, 2024, 11)
    item = services.rectification_add(
        report=nov,
        user=staff,
        area="finances",
        problem="缺签字",
        responsible="报账员",
        found_on=dt.date(2024, 11, 10),
        deadline=dt.date(2024, 12, 10),
        today=dt.date(2024, 11, 20),
    )
    dec, jan, feb = _month(village, 2024, 12), _month(village, 2025, 1), _month(village, 2025, 2)
    assert list(carried_items(dec)) == [item]
    assert list(carried_items(jan)) == [item]  # across the year boundary
    services.rectification_close(item=item, report=jan, user=staff, note="已补签", today=dt.date(2025, 2, 3))
    item.refresh_from_db()
    assert item.status == Rectification.Status.CLOSED
    assert item.closed_in == jan
    assert list(carried_items(jan)) == [item]  # shown where it was closed
    assert list(carried_items(feb)) == []
    assert list(carried_items(dec)) == [item]  # an older report still shows it was open then


def test_an_item_is_not_carried_into_its_own_report_or_earlier_ones(village):
    oct_, nov = _month(village, 2024, 10), _month(village, 2024, 11)
    RectificationFactory(opened_in=nov)
    assert list(carried_items(nov)) == []
    assert list(carried_items(oct_)) == []


def test_another_villages_items_are_not_carried(village, other_village):
    RectificationFactory(opened_in=_month(other_village, 2024, 11))
    assert list(carried_items(_month(village, 2024, 12))) == []


def test_a_deadline_before_the_finding_is_rejected_and_nothing_saved(village, staff):
    nov = _month(village, 2024, 11)
    with pytest.raises(ValidationError) as exc:
        services.rectification_add(
            report=nov,
            user=staff,
            area="finances",
            problem="x",
            responsible="y",
            found_on=dt.date(2024, 11, 10),
            deadline=dt.date(2024, 11, 9),
            today=dt.date(2024, 11, 20),
        )
    assert exc.value.message_dict == {"deadline": [services.DEADLINE_BEFORE_FINDING]}
    assert not Rectification.objects.exists()


def test_a_deadline_on_the_day_of_the_finding_is_accepted(village, staff):
    nov = _month(village, 2024, 11)
    item = services.rectification_add(
        report=nov,
        user=staff,
        area="finances",
        problem="x",
        responsible="y",
        found_on=dt.date(2024, 11, 10),
        deadline=dt.date(2024, 11, 10),
        today=dt.date(2024, 11, 20),
    )
    assert item.pk


def test_closing_needs_a_note(village, staff):
    nov = _month(village, 2024, 11)
    item = RectificationFactory(opened_in=nov)
    with pytest.raises(ValidationError) as exc:
        services.rectification_close(item=item, report=nov, user=staff, note=" ", today=dt.date(2024, 11, 20))
    assert exc.value.message_dict == {"closing_note": [services.CLOSING_NOTE_REQUIRED]}


def test_an_item_cannot_be_closed_in_an_earlier_report(village, staff):
    oct_, nov = _month(village, 2024, 10), _month(village, 2024, 11)
    item = RectificationFactory(opened_in=nov)
    with pytest.raises(ValidationError) as exc:
        services.rectification_close(
            item=item, report=oct_, user=staff, note="x", today=dt.date(2024, 11, 20)
        )
    assert exc.value.messages == [services.ITEM_NOT_ON_REPORT]


def test_quarterly_figures_come_from_the_monthly_records(village, staff):
    dec = _month(village, 2024, 12)
    before = RectificationFactory(opened_in=dec, area="projects")
    jan, feb = _month(village, 2025, 1), _month(village, 2025, 2)
    a = RectificationFactory(opened_in=jan, area="finances")
    RectificationFactory(opened_in=feb, area="finances")
    services.rectification_close(item=a, report=feb, user=staff, note="已改", today=dt.date(2025, 2, 20))
    services.rectification_close(item=before, report=jan, user=staff, note="已改", today=dt.date(2025, 1, 20))
    Report.objects.filter(pk__in=[jan.pk, feb.pk]).update(
        status="submitted", first_submitted_at=local(2025, 3, 1), submitted_at=local(2025, 3, 1)
    )
    apr = _month(village, 2025, 4)
    RectificationFactory(opened_in=apr, area="finances")  # after the quarter: not counted
    q1 = PeriodFactory(kind=Kind.QUARTERLY, year=2025, number=1)
    rollup = rollup_figures(village=village, period=q1)
    by_area = {a.area: (a.opened, a.closed, a.open_at_end) for a in rollup.areas}
    assert by_area["finances"] == (2, 1, 1)
    assert by_area["projects"] == (0, 1, 0)
    assert (rollup.reported, rollup.expected) == (2, 3)
    assert (rollup.totals.opened, rollup.totals.closed, rollup.totals.open_at_end) == (2, 2, 1)


def test_an_item_closed_after_the_quarter_counts_as_still_open_at_its_end(village, staff):
    mar = _month(village, 2025, 3)
    item = RectificationFactory(opened_in=mar)
    services.rectification_close(
        item=item, report=_month(village, 2025, 4), user=staff, note="x", today=dt.date(2025, 4, 20)
    )
    rollup = rollup_figures(village=village, period=PeriodFactory(kind=Kind.QUARTERLY, year=2025, number=1))
    assert (rollup.totals.opened, rollup.totals.closed, rollup.totals.open_at_end) == (1, 0, 1)


def test_a_quarterly_report_starts_from_its_three_months_text(village):
    _month(village, 2025, 1, findings_decisions="一月公开")
    _month(village, 2025, 3, findings_decisions="三月公开")
    _month(village, 2025, 4, findings_decisions="四月不算")
    text = rollup_text(village=village, period=PeriodFactory(kind=Kind.QUARTERLY, year=2025, number=1))
    assert text["findings_decisions"] == "【2025年1月】一月公开\n【2025年3月】三月公开"


def test_an_annual_report_starts_from_its_quarters(village):
    for q in (1, 2):
        ReportFactory(
            village=village, period=PeriodFactory(kind=Kind.QUARTERLY, year=2025, number=q), summary=f"Q{q}"
        )
    _month(village, 2025, 5, summary="月报不直接进入年报")
    annual = PeriodFactory(kind=Kind.ANNUAL, year=2025, number=1)
    assert (
        rollup_text(village=village, period=annual)["summary"] == "【2025年第1季度】Q1\n【2025年第2季度】Q2"
    )
    assert rollup_figures(village=village, period=annual).expected == 4


@pytest.mark.parametrize(("found_on", "ok"), [(dt.date(2024, 11, 20), True), (dt.date(2024, 11, 21), False)])
def test_a_problem_may_be_found_today_but_not_tomorrow(village, staff, found_on, ok):
    nov = _month(village, 2024, 11)
    kwargs = dict(
        report=nov, user=staff, area="finances", problem="x", responsible="y", deadline=dt.date(2024, 12, 31)
    )
    if ok:
        assert services.rectification_add(found_on=found_on, today=dt.date(2024, 11, 20), **kwargs).pk
        return
    with pytest.raises(ValidationError) as exc:
        services.rectification_add(found_on=found_on, today=dt.date(2024, 11, 20), **kwargs)
    assert exc.value.message_dict == {"found_on": [services.FOUND_IN_FUTURE]}


@pytest.mark.parametrize(("days_past_deadline", "overdue"), [(-1, False), (0, False), (1, True)])
def test_an_open_item_is_overdue_from_the_day_after_its_deadline(village, days_past_deadline, overdue):
    from django.utils import timezone

    deadline = timezone.localdate() - dt.timedelta(days=days_past_deadline)
    item = RectificationFactory(
        opened_in=_month(village, 2024, 11), found_on=dt.date(2024, 11, 1), deadline=deadline
    )
    assert item.is_overdue is overdue
