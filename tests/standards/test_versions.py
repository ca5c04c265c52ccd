"""No lost update on the three edit pages of 六个标准化 (governance.versioning): each carries the
version it was opened at, and the second of two saves is told, keeps its values and saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CountyOfficialFactory, UserFactory
from tests.standards.factories import AdoptionFactory, ReviewFactory, RuleFactory, scores

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _told(first, second, url, data, field, one, two):
    assert 'type="hidden" name="version"' in first.get(url).content.decode()
    assert first.post(url, {**data, field: one}).status_code == 302
    response = second.post(url, {**data, field: two})
    page = response.content.decode()
    assert response.status_code == 400
    assert "在您编辑期间" in page and two in page


def test_two_edits_of_a_review(staff, township, village):
    review = ReviewFactory(branch=village.branches.get())
    data = {**scores(), "assessor": "甲", "version": review.version}
    colleague = _client(UserFactory(username="colleague", township=township))
    _told(
        _client(staff),
        colleague,
        f"/standards/reviews/{review.public_id}/edit/",
        data,
        "assessor",
        "甲改",
        "乙改",
    )
    review.refresh_from_db()
    assert review.assessor == "甲改" and review.version == 2


def test_two_edits_of_a_rule(official, county):
    rule = RuleFactory(county=county)
    data = {"area": rule.area, "code": rule.code, "title": rule.title, "version": rule.version}
    colleague = _client(CountyOfficialFactory(username="colleague", county=county))
    _told(
        _client(official),
        colleague,
        f"/standards/rules/{rule.public_id}/edit/",
        data,
        "title",
        "甲改",
        "乙改",
    )
    rule.refresh_from_db()
    assert rule.title == "甲改"


def test_two_edits_of_an_adoption(staff, township, village):
    adoption = AdoptionFactory(village=village)
    data = {"adopted_on": "2025-05-01", "note": "x", "version": adoption.version}
    colleague = _client(UserFactory(username="colleague", township=township))
    _told(
        _client(staff),
        colleague,
        f"/standards/adoptions/{adoption.public_id}/edit/",
        data,
        "note",
        "甲改",
        "乙改",
    )
    adoption.refresh_from_db()
    assert adoption.note == "甲改"
