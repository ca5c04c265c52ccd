"""Every form field of the portal has an accessible name (a screen reader says what to type).

Each role's pages are found by following the links it is shown (one page per kind of URL, on the small
seeded data set); every page with a form field is then opened in Chromium and each visible field's
accessible name is read as Playwright computes it (the name `get_by_label` / `get_by_role` match)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from decisions.models import StepKind
from tests.browser.a11y_seed import seed
from tests.decisions.factories import MatterFactory, advance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

SKIP = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/admin/")
HREF = re.compile(r'href="([^"#]+)"')
# A field a user fills in: any select or textarea, any input but the hidden ones and the buttons.
FIELD_TAG = re.compile(
    r"<(?:select|textarea)\b|<input\b(?![^>]*type=\"(?:hidden|submit|button|reset|image)\")"
)
FIELDS = (
    "select, textarea, "
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image])"
)
# aria_snapshot's first line: `- textbox "姓名"`, `- combobox "性别":`, or `- textbox` when unnamed.
NAMED = re.compile(r'^- [a-z]+ "(?P<name>[^"]*\S[^"]*)"')
# The accessible name must come from a label, not from a placeholder (gone once the user types) or a
# file input's own "Choose File" button: a <label> with text of its own, aria-labelledby, aria-label
# or title.
LABEL_SOURCE = """f => {
  const own = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('input, select, textarea').forEach(c => c.remove());
    return copy.textContent.trim();
  };
  if ([...(f.labels || [])].some(own)) return 'label';
  const ids = (f.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  if (ids.map(id => document.getElementById(id)).some(el => el && own(el))) return 'aria-labelledby';
  if ((f.getAttribute('aria-label') || '').trim()) return 'aria-label';
  if ((f.getAttribute('title') || '').trim()) return 'title';
  return '';
}"""


def _kind_of_url(path: str) -> str:
    """Pages differ by route and by which filters they take, not by ids or values."""
    parts = urlsplit(path)
    route = re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<uuid>", parts.path)
    route = re.sub(r"\d+", "<n>", route)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return route + ("?" + "&".join(keys) if keys else "")


def pages_with_fields(client: Client, starts: list[str]) -> list[str]:
    """Follow the links shown from ``starts``; the pages (one per route) that have a field."""
    seen: set[str] = set()
    found: dict[str, str] = {}  # route → first URL: filters in the query string do not change a form
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        kind = _kind_of_url(url)
        if kind in seen:
            continue
        seen.add(kind)
        response = client.get(url)
        assert response.status_code in (200, 301, 302), f"{url} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if FIELD_TAG.search(body):
            found.setdefault(kind.split("?")[0], url)
        for href in HREF.findall(body):
            target = urlsplit(urldefrag(urljoin(url, href.replace("&amp;", "&")))[0])
            if target.netloc and target.netloc != "testserver":
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if not path.startswith(SKIP) and "export=" not in path:
                queue.append(path)
    return list(found.values())


def check_fields(page, urls: list[str]) -> tuple[list[str], set[str]]:
    """Open each page; the fields without a label, and the accessible names of all the others."""
    problems, names = [], set()
    for url in urls:
        page.goto(url)
        # Forms folded into <details> count too: open them so their fields are shown.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        fields = page.locator(FIELDS)
        for index in range(fields.count()):
            field = fields.nth(index)
            if not field.is_visible():
                continue
            snapshot = field.aria_snapshot().splitlines()[0]
            named = NAMED.match(snapshot)
            if named and field.evaluate(LABEL_SOURCE):
                names.add(named.group("name").removesuffix(" *"))  # " *" marks a required field
            else:
                html = field.evaluate("f => f.outerHTML")[:120]
                problems.append(f"{url}: {html} has no label (accessible name: {snapshot})")
    return problems, names


@pytest.fixture
def seeded(staff, official, township, village):
    return seed(township=township, village=village, staff=staff)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _matters_at_each_step(village, staff) -> list[str]:
    """A matter page per next step: each shows that step's own form (votes, meeting type, place…)."""
    urls = []
    for done in (
        None,
        StepKind.PROPOSE,
        StepKind.CONSULT,
        StepKind.REVIEW,
        StepKind.RESOLVE,
        StepKind.DISCLOSE_RESOLUTION,
    ):
        matter = MatterFactory(village=village, created_by=staff)
        if done is not None:
            advance(matter, user=staff, through=done)
        urls.append(f"/decisions/{matter.public_id}/")
    return urls


def test_every_field_a_township_user_fills_in_is_labelled(log_in, staff, village, seeded):
    urls = pages_with_fields(_client(staff), ["/"]) + _matters_at_each_step(village, staff)
    # The crawl reaches the forms of every app: entry forms, review and step forms, list filters.
    routes = {_kind_of_url(url).split("?")[0] for url in urls}
    assert {"/cadres/people/new/", "/supervision/new/", "/decisions/new/", "/villages/"} <= routes, routes
    page = log_in("staff")
    problems, names = check_fields(page, urls)
    assert not problems, "\n".join(problems)
    # Fields of each kind of form were reached: report entry, person, step votes, disclosure, upload.
    assert {
        "决策与公开",
        "身份证号码",
        "实到人数",
        "会议类型",
        "公开地点",
        "文件（JPEG、PNG或PDF）",
    } <= names, names


def test_every_field_a_county_official_fills_in_is_labelled(log_in, official, seeded):
    urls = pages_with_fields(_client(official), ["/", f"/supervision/r/{seeded.submitted_report_id}/"])
    routes = {_kind_of_url(url).split("?")[0] for url in urls}
    assert "/supervision/r/<uuid>/" in routes, routes  # the review panel: 退回 with a reason
    page = log_in("official")
    problems, names = check_fields(page, urls)
    assert not problems, "\n".join(problems)
    assert "原因" in names, names


def test_every_field_of_the_public_pages_and_the_login_is_labelled(page, seeded):
    urls = pages_with_fields(_client(), ["/public/", "/public/search/?q=集体", "/accounts/login/"])
    routes = {_kind_of_url(url).split("?")[0] for url in urls}
    assert {"/accounts/login/", "/public/search/"} <= routes, routes
    problems, names = check_fields(page, urls)
    assert not problems, "\n".join(problems)
    assert {"用户名", "密码", "村（社区）名称"} <= names, names
