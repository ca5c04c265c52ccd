"""The county dashboard served whole from the figures cache (governance/pages.py): the same page as
rendering it, per user, with a fresh CSRF token in every response and the review badge and messages
of the moment."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse

from governance.models import SharedFigure
from tests.factories import CountyFactory, CountyOfficialFactory, TownshipFactory, VillageFactory

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_caches")]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def empty_caches():
    cache.clear()
    SharedFigure.objects.all().delete()


@pytest.fixture
def county():
    county = CountyFactory()
    VillageFactory.create_batch(2, township=TownshipFactory(county=county))
    return county


def official(county, name: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(CountyOfficialFactory(county=county, last_name=name))
    return client


@override_settings(CACHES=LOCMEM)
def test_each_response_carries_a_fresh_token_that_the_forms_accept(county):
    client = official(county, "甲")
    first = client.get(reverse("dashboard")).content.decode()
    second = client.get(reverse("dashboard")).content.decode()
    tokens = TOKEN.findall(first) + TOKEN.findall(second)
    assert len(tokens) == 4 and len(set(tokens)) == 2  # the header's two forms, one mask a response
    assert first.replace(TOKEN.findall(first)[0], "") == second.replace(TOKEN.findall(second)[0], "")
    # The token of the page from the cache signs the header's forms, as a rendered page's would.
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[2]}
    )
    assert switched.status_code == 302
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": "forged" * 8}).status_code == 403


@override_settings(CACHES=LOCMEM)
def test_two_officials_of_a_county_each_see_their_own_name(county):
    first = official(county, "第一审核员")
    second = official(county, "第二审核员")
    assert "第一审核员" in first.get(reverse("dashboard")).content.decode()
    page = second.get(reverse("dashboard")).content.decode()
    assert "第二审核员" in page and "第一审核员" not in page


@override_settings(CACHES=LOCMEM)
def test_a_message_waiting_for_the_page_is_shown_once(county):
    """A view's message before a redirect to the dashboard (kept in the messages cookie) is on the
    next page, even though the page was cached without it, and only there."""
    client = official(county, "甲")
    assert "设置已保存" not in client.get(reverse("dashboard")).content.decode()
    waiting = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "设置已保存")])
    client.cookies[CookieStorage.cookie_name] = waiting
    assert "设置已保存" in client.get(reverse("dashboard")).content.decode()
    assert "设置已保存" not in client.get(reverse("dashboard")).content.decode()


@override_settings(CACHES=LOCMEM)
def test_an_official_moved_to_another_county_sees_it_at_once(county):
    """An account is not a record the figures follow: the page is the user's as they are now."""
    from governance.models import User

    client = official(county, "甲")
    TownshipFactory(county=county, name="原县乡")
    elsewhere = CountyFactory()
    TownshipFactory(county=elsewhere, name="新县乡")
    assert "原县乡" in client.get(reverse("dashboard")).content.decode()
    User.objects.filter(last_name="甲").update(county=elsewhere)
    page = client.get(reverse("dashboard")).content.decode()
    assert "新县乡" in page and "原县乡" not in page
