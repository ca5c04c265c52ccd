"""Shared fixtures: one county with two townships, and one user of each role plus an outsider.

``village`` belongs to ``township``; ``other_village`` to ``other_township`` (same county). The
``outsider`` is a township user of ``other_township``: for them ``village`` must answer 404.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.test import Client

from tests.factories import (
    TEST_PASSWORD,
    AdminUserFactory,
    CountyFactory,
    CountyOfficialFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)


@pytest.hookimpl(tryfirst=True)
def pytest_itemcollected(item):
    """Transactional tests (browsers, races) end by emptying every table, which would also delete
    the rows migrations create (the default 3512 quota): later tests on the same worker would then
    see a database the portal never has. ``serialized_rollback`` puts those rows back."""
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
        item.add_marker(
            pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make ``--dist loadgroup`` keep each ``xdist_group`` on one worker.

    pytest 9 reads a node's id from ``Node._id``; pytest-xdist 3.8 still appends the ``@group``
    suffix to ``_nodeid``, which pytest no longer reads, so grouped tests would be spread over the
    workers (and, for example, seed the demo on each). This puts the suffix where pytest reads it.
    """
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers under --dist loadgroup
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        if "@" in item.nodeid:
            continue
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")


@pytest.fixture(autouse=True)
def _chinese_interface():
    """Each test starts in the default language, whatever an earlier test's request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def county(db):
    return CountyFactory(code="513301000000", name="康定市")


@pytest.fixture
def township(county):
    return TownshipFactory(county=county, code="513301101000", name="姑咱镇", kind="town")


@pytest.fixture
def other_township(county):
    return TownshipFactory(county=county, code="513301102000", name="新都桥镇", kind="town")


@pytest.fixture
def village(township):
    return VillageFactory(township=township, code="513301101201", name="姑咱示例01村")


@pytest.fixture
def other_village(other_township):
    return VillageFactory(township=other_township, code="513301102201", name="新都桥示例01村")


@pytest.fixture
def staff(township):
    """Township staff of ``township``: may read and write its records."""
    return UserFactory(username="staff", township=township)


@pytest.fixture
def outsider(other_township):
    """Township staff of another township: must see ``village`` as not found."""
    return UserFactory(username="outsider", township=other_township)


@pytest.fixture
def official(county):
    """County official: reads the whole county, may not enter township records."""
    return CountyOfficialFactory(username="official", county=county)


@pytest.fixture
def admin_user(db):
    return AdminUserFactory(username="root")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def official_client(official):
    return _client_for(official)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


# Browser tests: Playwright driving Debian's chromium against pytest-django's live server.
#
# When chromium is missing the browser tests skip with the reason, except in CI (CI set), where they
# fail: CI installs chromium through `make test`, so a missing browser there is a broken install step.


CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
    # still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def csp_violations(page) -> list[str]:
    """Content-Security-Policy violations Chromium reports on ``page`` (assert it stays empty)."""
    violations: list[str] = []

    def watch(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    return violations


@pytest.fixture
def log_in(page):
    def _log_in(username: str, *, viewport=None):
        if viewport:
            page.set_viewport_size(viewport)
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/")
        return page

    return _log_in
