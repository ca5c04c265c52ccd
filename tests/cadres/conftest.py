"""Cadre fixtures on top of tests/conftest.py (county, township, village, staff, outsider, official)."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.models import Committee, Position
from tests.cadres.factories import PersonFactory, PostFactory

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def person(village):
    return PersonFactory(home_village=village, name="扎西测试")


@pytest.fixture
def other_person(other_village):
    return PersonFactory(home_village=other_village, name="卓玛外乡")


@pytest.fixture
def secretary_post(village):
    return PostFactory(village=village, committee=Committee.BRANCH, position=Position.SECRETARY)
