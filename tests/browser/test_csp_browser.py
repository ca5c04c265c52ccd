"""The strict Content-Security-Policy holds in a real browser: pages, htmx filtering and forms work,
and Chromium reports no violation (an inline script or style, eval, or a resource from elsewhere)."""

import pytest
from playwright.sync_api import expect

from tests.decisions.factories import MatterFactory
from tests.factories import VillageFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_the_portal_runs_under_its_policy_with_no_violation(
    page, log_in, staff, village, township, csp_violations
):
    VillageFactory(township=township, name="乙村")
    matter = MatterFactory(village=village, created_by=staff)
    log_in("staff")
    for url in [
        "/",
        "/villages/",
        f"/villages/{village.code}/",
        "/cadres/",
        "/supervision/grid/",
        "/decisions/",
        f"/decisions/{matter.public_id}/",
        f"/decisions/{matter.public_id}/notice/",
        "/public/",
        "/dashboard/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    # htmx still filters in place under the policy (no eval, no injected style).
    page.goto("/villages/")
    page.get_by_label("名称").fill("乙")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert csp_violations == []
