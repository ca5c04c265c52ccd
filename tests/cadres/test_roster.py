"""Derived flags: 一肩挑, 交叉任职, terms ending within 90 days, two consecutive 不称职."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Committee, Performance, Position
from cadres.selectors import people_visible_to, roster_for
from tests.cadres.factories import EvaluationFactory, PersonFactory, PostFactory, ReserveCadreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def test_combined_leadership_and_cross_appointment_are_derived(village):
    secretary = PostFactory(village=village)
    PostFactory(
        village=village, person=secretary.person, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    )
    roster = roster_for(village=village, on=DAY)
    assert roster["combined_leadership"] is True
    assert roster["cross_appointed_count"] == 1


def test_members_of_one_committee_only_are_not_cross_appointed(village):
    PostFactory(village=village)
    PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.DIRECTOR)
    roster = roster_for(village=village, on=DAY)
    assert roster["combined_leadership"] is False
    assert roster["cross_appointed_count"] == 0


def test_terms_ending_within_90_days_are_listed(village):
    PostFactory(village=village, term_end=DAY + dt.timedelta(days=90))
    PostFactory(
        village=village,
        committee=Committee.VILLAGERS,
        position=Position.DIRECTOR,
        term_end=DAY + dt.timedelta(days=91),
    )
    ending = roster_for(village=village, on=DAY)["ending_soon"]
    assert [post.position for post in ending] == [Position.SECRETARY]


@pytest.mark.parametrize(
    ("years", "flagged"),
    [((2024, 2025), True), ((2023, 2025), False), ((2025,), False)],
)
def test_two_consecutive_incompetent_years_are_flagged(village, staff, years, flagged):
    post = PostFactory(village=village)
    for year in years:
        EvaluationFactory(person=post.person, village=village, year=year, performance=Performance.INCOMPETENT)
    assert bool(roster_for(village=village, on=DAY)["flagged"]) is flagged
    assert people_visible_to(staff).get(pk=post.person.pk).flag_incompetent_twice is flagged


def test_a_competent_year_between_breaks_the_flag(village, staff):
    person = PersonFactory(home_village=village)
    EvaluationFactory(person=person, village=village, year=2023, performance=Performance.INCOMPETENT)
    EvaluationFactory(person=person, village=village, year=2024, performance=Performance.COMPETENT)
    EvaluationFactory(person=person, village=village, year=2025, performance=Performance.INCOMPETENT)
    assert people_visible_to(staff).get(pk=person.pk).flag_incompetent_twice is False


@pytest.mark.parametrize(
    ("count", "experts", "label"), [(2, 1, "人数不足"), (3, 1, "达标"), (3, 0, "背景配比未达标")]
)
def test_the_roster_and_village_page_show_the_benchs_3512_status(
    staff_client, village, count, experts, label
):
    year = timezone.localdate().year
    for k in range(count):
        person = PersonFactory(home_village=village, is_wealth_expert=k < experts)
        ReserveCadreFactory(village=village, plan_year=year, person=person)
    expected = f"计入3512配备 {count} 人（其中返乡农民工或致富能手 {experts} 人）"
    for url in (
        reverse("cadres:roster", args=[village.code]),
        reverse("villages:village_detail", args=[village.code]),
    ):
        content = staff_client.get(url).content.decode()
        assert expected in content, url
        assert f'">{label}</span>' in content, url


@pytest.mark.parametrize(("days", "ending"), [(-1, False), (0, True), (1, True), (90, True), (91, False)])
def test_a_term_ends_soon_from_today_to_90_days_ahead_on_the_roster_list_and_home_page(
    staff_client, village, days, ending
):
    """DESIGN §4 via the portal's rule: an open post whose term ends today or within 90 days. The roster,
    the post list's filter and the home page count must agree at each boundary."""
    today = timezone.localdate()
    post = PostFactory(
        village=village, start_date=today - dt.timedelta(days=1000), term_end=today + dt.timedelta(days=days)
    )
    rule = f"term ending in {days} days is {'' if ending else 'not '}ending soon (0-90 days)"
    roster = roster_for(village=village, on=today)
    assert (post in roster["ending_soon"]) is ending, rule
    listed = staff_client.get(reverse("cadres:post_list"), {"ending": "true"}).context["object_list"]
    assert (post in listed) is ending, rule
    home = staff_client.get(reverse("home")).content.decode()
    count = "1" if ending else "0"
    assert f'<a href="{reverse("cadres:post_list")}?ending=true">{count}</a>' in home, rule
