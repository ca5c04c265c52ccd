"""The demo seeder (18 example rules, adoptions by most villages, two years of reviews in mixed
states; a rerun adds nothing) and the sections on the village and branch pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from governance.hooks import render_panels
from standards import demo
from standards.models import Adoption, Review, Rule
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_examples_adoptions_and_two_years_of_reviews_once(county, township):
    villages = [VillageFactory(township=township) for _ in range(24)]
    demo.seed()
    counts = (Rule.objects.count(), Adoption.objects.count(), Review.objects.count())
    assert Rule.objects.filter(county=county, is_example=True).count() == 18
    assert all("示例" in title for title in Rule.objects.values_list("title", flat=True))
    adopting = Adoption.objects.values("village").distinct().count()
    assert adopting > len(villages) // 2  # most villages
    years = set(Review.objects.values_list("year", flat=True))
    this_year = timezone.localdate().year
    assert years == {this_year - 1, this_year}
    assert len(set(Review.objects.filter(year=this_year).values_list("state", flat=True))) >= 2
    demo.seed()
    assert (Rule.objects.count(), Adoption.objects.count(), Review.objects.count()) == counts


def test_the_village_page_shows_the_villages_compliance(staff_client, village):
    html = staff_client.get(f"/villages/{village.code}/").content.decode()
    assert "六个标准化" in html and f"/standards/villages/{village.code}/" in html


def test_the_branch_panel_lists_reviews_and_offers_a_new_one_to_the_owner(staff, outsider, village):
    branch = village.branches.get()
    panels = dict(render_panels("branch_panel", branch=branch, user=staff))
    context = panels["standards/_branch_panel.html"]
    assert context["may_add"] is True and context["reviews"] == []
    other = dict(render_panels("branch_panel", branch=branch, user=outsider))["standards/_branch_panel.html"]
    assert other["may_add"] is False
