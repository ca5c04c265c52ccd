"""Crawl the demo portal as each role, as a reviewer would: every link a user is shown must work.

Seeds the Kangding demo once, then follows same-site links breadth-first from the start page. For
each kind of URL (ids and codes folded together) it visits a few examples. Every page must answer
200, or redirect to a page that does (never to the login page of a logged-in user); carry
Server-Timing, and show no whole ID number; a link a user is shown must never lead to a 404 or 403.

The admin crawl states what each admin page must answer: 200 everywhere, except the add pages of
records that change only through the portal's services (403, deliberately). An admin locked out of
the admin altogether therefore fails it, as does any page answering 500.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter, deque
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from governance.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

SKIP = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/admin/")
PER_PATTERN = 2
MAX_PAGES = 400
HREF = re.compile(r'href="([^"#]+)"')
# 18-character ID numbers in running text (not inside longer digit runs).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _is_valid_id_number(text: str) -> bool:
    total = sum(int(d) * w for d, w in zip(text[:17], WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == text[17]


def _pattern(path: str) -> str:
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", path)
    path = re.sub(r"\d+", "<n>", path)
    query = urlsplit(path).query
    # Pages differ by which filters they take, not by the values.
    keys = sorted({part.split("=")[0] for part in query.split("&") if part})
    return urlsplit(path).path + ("?" + "&".join(keys) if keys else "")


def crawl(client: Client, start: str, *, anonymous: bool = False) -> tuple[dict[str, int], list[str]]:
    seen_patterns: Counter[str] = Counter()
    visited: dict[str, int] = {}
    problems: list[str] = []
    queue = deque([(start, "(start)")])
    while queue and len(visited) < MAX_PAGES:
        url, source = queue.popleft()
        if url in visited:
            continue
        pattern = _pattern(url)
        if seen_patterns[pattern] >= PER_PATTERN:
            continue
        seen_patterns[pattern] += 1
        response = client.get(url)
        visited[url] = response.status_code
        if response.status_code in (301, 302):
            # Follow it: the page it leads to must answer too. A logged-in user sent to the login
            # page met a broken link; a visitor of the public board following a staff link is not.
            parts = urlsplit(urljoin(url, response["Location"]))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path == "/accounts/login/" and not anonymous:
                problems.append(f"{url} redirected a logged-in user to the login page (linked from {source})")
            elif not target.startswith(SKIP):
                queue.appendleft((target, url))
            continue
        if response.status_code != 200:
            problems.append(f"{url} answered {response.status_code} (linked from {source})")
            continue
        content_type = response.get("Content-Type", "")
        if "text/html" not in content_type:
            continue
        if "Server-Timing" not in response:
            problems.append(f"{url} has no Server-Timing header")
        body = response.content.decode()
        for candidate in ID_NUMBER.findall(body):
            if _is_valid_id_number(candidate):
                problems.append(f"{url} shows a whole ID number")
        for href in HREF.findall(body):
            href = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != "testserver":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target.startswith(SKIP) or "export=" in target:
                continue
            queue.append((target, url))
    return visited, problems


# Records that change only through the portal's services (which enforce the rules and jurisdiction):
# the admin shows them and their history but refuses to add them. Login-throttling records are
# written by django-axes alone.
# Corrections (governance.corrections.Correction subclasses) are refused too, whatever app holds them.
ADMIN_ADD_REFUSED = {
    "cadres.person",
    "cadres.idnumberreveal",
    "cadres.post",
    "cadres.evaluation",
    "cadres.development",
    "cadres.reservecadre",
    "cadres.membership",
    "cadres.dutyassignment",
    "cadres.stationing",
    "decisions.matter",
    "decisions.step",
    "decisions.attachment",
    "standards.adoption",
    "standards.adoptionattachment",
    "standards.review",
    "mediation.committee",
    "mediation.member",
    "mediation.dispute",
    "mediation.followup",
    "disclosures.disclosure",
    "disclosures.financeline",
    "compacts.compactversion",
    "compacts.compactattachment",
    "training.trainingclass",
    "training.attendance",
    "supervision.perioddeadline",  # written by the calendar services (supervision/services.py)
    "supervision.exceptionrequest",  # made and decided on the portal (governance/review.py)
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
# One-row settings: a second row cannot be added once the first exists. (None left: the local
# policies are rows per county and date, governance/policy.py.)
ADMIN_SINGLETONS: set[str] = set()


def expected_admin_status(model, page: str) -> int:
    """What an admin must get on ``page`` (changelist, add, change, history) of ``model``."""
    from governance.corrections import Correction

    label = model._meta.label_lower
    if page == "add" and (
        label in ADMIN_ADD_REFUSED
        or issubclass(model, Correction)
        or (label in ADMIN_SINGLETONS and model._default_manager.exists())
    ):
        return 403
    return 200


def crawl_admin(user) -> tuple[dict[str, int], list[str]]:
    """Every registered model's list, add, change and history page in the Django admin, each
    checked against the status it must answer."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(user)
    visited, problems = {}, []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [("changelist", reverse(f"{prefix}_changelist"))]
        with contextlib.suppress(NoReverseMatch):
            pages.append(("add", reverse(f"{prefix}_add")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages += [
                ("change", reverse(f"{prefix}_change", args=[obj.pk])),
                ("history", reverse(f"{prefix}_history", args=[obj.pk])),
            ]
        for page, url in pages:
            status = visited[url] = client.get(url).status_code
            expected = expected_admin_status(model, page)
            if status != expected:
                problems.append(f"{url} answered {status}, expected {expected}")
    return visited, problems


def test_every_link_each_role_is_shown_works_on_the_demo_data(monkeypatch):
    # One test, one seed: seeding the whole demo takes longer than crawling it.
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo", stdout=StringIO())
    results = {}
    for username in ["township", "township2", "county", "admin"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        results[username] = crawl(client, "/")
    results["anonymous /public/"] = crawl(Client(), "/public/", anonymous=True)

    results["admin /admin/"] = crawl_admin(User.objects.get(username="admin"))

    problems = {who: found for who, (_visited, found) in results.items() if found}
    assert problems == {}
    assert all(len(visited) > 5 for visited, _found in results.values()), {
        who: len(visited) for who, (visited, _found) in results.items()
    }
