"""Playwright driving Debian's chromium against pytest-django's live server.

When chromium is missing the browser tests skip with the reason, except in CI (CI set), where they
fail: CI installs chromium through `make test`, so a missing browser there is a broken install step.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import TEST_PASSWORD

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
