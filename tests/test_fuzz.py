"""No input makes the portal answer 5xx: a property-based fuzz test over every URL, form and parameter.

Seeds the Kangding demo (every app's demo data, through its AppConfig hook), then for each role
(township staff, county official, admin, anonymous):

1. crawls the pages the role is shown, reading each page's links and forms (tests/fuzz/discovery.py);
2. requests every page found with each GET parameter its filter forms and links use set in turn to
   the worst values (``sweep_get``), then with hypothesis-generated parameters, including ones other
   pages take (tests/fuzz/runner.py ``get_page``);
3. posts every form found (hidden fields such as csrf, version and one-time tokens included) with
   each field in turn set to the worst values of its kind and the others filled in sensibly
   (``sweep_form``), then with hypothesis-generated data: one field fuzzed, or many fuzzed, dropped
   or repeated (``post_form``). After a redirect it opens the page the form led to and posts the next
   step that page offers, as the user would;
4. requests every pattern of the URL resolver with real keys, random keys of each converter's shape
   and junk in its path (``fuzz_path``).

New apps, URLs and forms are picked up by the resolver walk, the crawl and their demo data, with no
edit here.

Values (tests/fuzz/strategies.py): arbitrary unicode with NUL bytes and lone surrogates sent as the
bytes a client would send, huge, negative and float numbers, dates such as 0001-01-01, 9999-12-31,
0000-00-00 and 2026-02-30, period keys such as 0000-01, 9999-12 and 2026-Q5, codes of every length,
very long strings, empty values and repeated keys.

Every request must answer below 500; failures are collected and printed together (role, method,
URL, data and the exception). The run is bounded and repeatable: ``FUZZ_EXAMPLES`` examples per
target (default 3) with a fixed seed per target; ``FUZZ_SEED`` picks other examples and
``FUZZ_EXAMPLES=30`` makes a longer run.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import strategies as st

from governance.models import User
from tests.fuzz.discovery import Discovery, crawl, url_leaves
from tests.fuzz.runner import (
    Session,
    fuzz_path,
    get_page,
    post_form,
    run_examples,
    sweep_form,
    sweep_get,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("fuzz"),
    # The admin's date filters warn about the fuzzed dates they are given (and then ignore them).
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Seconds one target may take at most (a slow page gets fewer examples); grows with a longer run.
BUDGET = float(EXAMPLES)
# Township staff first: their posts create the records the county official then reviews.
ROLES = [
    ("township staff", "township"),
    ("county official", "county"),
    ("admin", "admin"),
    ("anonymous", None),
]
PER_ROUTE = 4
MAX_PAGES = 300


def _post_order(key) -> tuple:
    """App forms before the admin's, deletions last: a fuzzed delete must not empty what follows."""
    route = key[0]
    return (route.startswith("admin/"), "delete" in route, key)


def _fuzz_role(role: str, user, leaves, failures, stats, swept: set) -> None:
    session = Session(role, user, failures)
    discovery = Discovery()
    admin = user is not None and user.is_superuser
    starts = ["/", "/public/"] + (["/admin/"] if admin else [])
    # The admin reads the app pages the county official reads: fewer of each, time for /admin/.
    crawl(session, starts, discovery=discovery, per_route=2 if admin else PER_ROUTE, max_pages=MAX_PAGES)
    stats[role]["pages crawled"] = session.requests
    stats[role]["routes"] = len(discovery.pages)
    stats[role]["forms"] = len(discovery.post_forms)
    clock = time.perf_counter()

    global_params = sorted({name for params in discovery.get_params.values() for name in params})
    for route in sorted(discovery.pages):
        # The admin is Django's own code, its list filters checked at the boundary: a lighter touch.
        in_admin = route.startswith("admin/")
        fresh = [name for name in sorted(discovery.get_params.get(route, ())) if (route, name) not in swept]
        if not in_admin:
            swept.update((route, name) for name in fresh)
            sweep_get(session, discovery.pages[route][0], fresh, budget=BUDGET)
        run_examples(
            f"{role} GET {route}",
            1 if in_admin else EXAMPLES,
            lambda data, route=route: get_page(session, data, discovery, route, global_params),
            budget=BUDGET,
        )

    stats[role]["GET s"], clock = round(time.perf_counter() - clock), time.perf_counter()
    for key in sorted(discovery.post_forms, key=_post_order):
        forms = discovery.post_forms[key]
        in_admin = key[0].startswith("admin/")
        session.log_in()
        if key not in swept:
            swept.add(key)
            # In the admin only the values its model code computes with: dates and numbers.
            sweep_form(session, forms[0], budget=BUDGET, kinds=("date", "number") if in_admin else None)
        run_examples(
            f"{role} POST {key}",
            1 if in_admin else EXAMPLES,
            lambda data, forms=forms: post_form(session, data, data.draw(st.sampled_from(forms))),
            budget=BUDGET,
        )

    stats[role]["POST s"], clock = round(time.perf_counter() - clock), time.perf_counter()
    session.log_in()
    for leaf in leaves:
        # The admin's hundreds of patterns answer anyone else with the same redirect: one example.
        examples = EXAMPLES if admin or not leaf.route.startswith("admin/") else 1
        run_examples(
            f"{role} path {leaf.route}",
            examples,
            lambda data, leaf=leaf: fuzz_path(session, data, leaf, discovery.kwarg_pool),
            budget=BUDGET / 3,
        )
    stats[role]["path s"] = round(time.perf_counter() - clock)
    stats[role]["requests"] = session.requests
    stats[role]["slowest"] = [(k, round(v, 1)) for k, v in session.seconds.most_common(8)]


@pytest.fixture
def _quiet_request_log():
    """Thousands of 4xx warnings would only slow the run: failures are collected with their traceback."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_no_request_from_any_role_makes_the_server_fail(monkeypatch, _quiet_request_log):
    monkeypatch.setenv("DEMO_PASSWORD", "fuzz-demo-pass-123")
    call_command("seed_demo", stdout=StringIO())
    leaves = url_leaves()
    failures: list = []
    stats: dict = defaultdict(Counter)
    swept: set = set()  # sweeps are not repeated for a role that is shown the same page or form
    only = os.environ.get("FUZZ_ROLES")  # e.g. FUZZ_ROLES=township,anonymous while fixing one role
    for role, username in ROLES:
        if only and (username or "anonymous") not in only.split(","):
            continue
        started = time.perf_counter()
        user = User.objects.get(username=username) if username else None
        _fuzz_role(role, user, leaves, failures, stats, swept)
        stats[role]["seconds"] = round(time.perf_counter() - started)

    for role, counts in stats.items():
        print(role, dict(counts))
    # One line per distinct cause (same URL pattern, same exception), with its first example.
    distinct = {}
    for failure in failures:
        distinct.setdefault((failure.method, failure.error[-300:]), failure)
    report = "\n\n".join(str(failure) for failure in distinct.values())
    assert not failures, f"{len(failures)} requests answered 5xx ({len(distinct)} distinct):\n\n{report}"
    # The discovery found something to fuzz for each role (a broken crawl must not pass quietly).
    assert stats, f"no role was fuzzed (FUZZ_ROLES={only!r} names none of {[u for _, u in ROLES]})"
    if not only:  # a full run fuzzes every role, not only those that happened to report
        assert set(stats) == {role for role, _ in ROLES}, stats
    signed_in = [role for role, username in ROLES if username and role in stats]
    assert all(stats[role]["routes"] >= 10 for role in signed_in), stats
    assert all(counts["routes"] >= 2 for counts in stats.values()), stats
    assert "township staff" not in stats or stats["township staff"]["forms"] >= 10, stats
