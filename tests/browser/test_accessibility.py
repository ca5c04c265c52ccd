"""Accessibility of the main pages of each role: axe-core (axe-playwright-python, which ships its own
axe.min.js: no network) finds no serious or critical violation on any of them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.a11y_seed import Seeded, seed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

BLOCKING = {"serious", "critical"}


@pytest.fixture
def seeded(staff, official, township, village) -> Seeded:
    return seed(township=township, village=village, staff=staff)


def staff_pages(s: Seeded) -> list[str]:
    return [
        "/",
        "/villages/",
        f"/villages/{s.village.code}/",
        "/cadres/",
        "/cadres/posts/",
        "/cadres/reserves/",
        f"/cadres/people/{s.person_id}/",
        f"/cadres/reserves/{s.reserve_id}/",
        f"/cadres/villages/{s.village.code}/",
        "/cadres/evaluations/",
        "/cadres/development/",
        f"/cadres/development/{s.development_id}/",
        "/supervision/",
        f"/supervision/grid/{s.township.code}/{s.year}/{s.month}/",
        f"/supervision/new/?village={s.third.code}&period={s.period_key}",
        f"/supervision/r/{s.draft_report_id}/",
        f"/supervision/r/{s.draft_report_id}/edit/",
        "/decisions/",
        f"/decisions/{s.open_matter_id}/",
        "/decisions/new/",
        f"/decisions/{s.disclosed_matter_id}/notice/",
    ]


def official_pages(s: Seeded) -> list[str]:
    return [
        "/",
        "/dashboard/",
        "/supervision/completeness/",
        "/cadres/reserves/compliance/",
        f"/supervision/r/{s.submitted_report_id}/",
        f"/supervision/grid/{s.township.code}/{s.year}/{s.month}/",
        f"/supervision/health/{s.township.code}/",
    ]


def anonymous_pages(s: Seeded) -> list[str]:
    county = s.township.county.code
    return [
        "/accounts/login/",
        "/public/",
        f"/public/county/{county}/",
        f"/public/township/{s.township.code}/",
        f"/public/village/{s.second.code}/",
        "/public/search/?q=集体",
        f"/public/matters/{s.disclosed_matter_id}/",
    ]


def _violations(page, urls: list[str]) -> list[str]:
    """One line per serious or critical violation: the page, the rule id, its impact and targets."""
    axe = Axe()
    found = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                found.append(f"{url}: {violation['id']} ({violation['impact']}) on {targets}")
    return found


# Phones are how many township staff and villagers use the portal: tables scroll sideways there and
# secondary columns hide, so every page is checked at both sizes.
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)


@VIEWPORTS
def test_the_township_staffs_main_pages_have_no_serious_violations(log_in, seeded, viewport):
    page = log_in("staff", viewport=viewport)
    found = _violations(page, staff_pages(seeded))
    assert not found, "\n".join(found)


@VIEWPORTS
def test_the_county_officials_main_pages_have_no_serious_violations(log_in, seeded, viewport):
    page = log_in("official", viewport=viewport)
    found = _violations(page, official_pages(seeded))
    assert not found, "\n".join(found)


@VIEWPORTS
def test_the_public_pages_have_no_serious_violations(page, seeded, viewport):
    page.set_viewport_size(viewport)
    found = _violations(page, anonymous_pages(seeded))
    assert not found, "\n".join(found)
