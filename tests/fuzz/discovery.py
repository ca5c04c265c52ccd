"""Find what to fuzz without a list: every URL pattern the resolver knows, and every form and query
parameter the pages offer each role. An app added later is picked up by both with no edit here."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

from tests.fuzz.html import Form, parse_page

# Never followed or posted: ending the session, and logging in with a password (login throttling
# would count the attempts; the fuzz logs in with force_login).
SKIP_URL_NAMES = {"logout", "login", "admin:logout", "admin:login"}
SKIP_PREFIXES = ("/static/", "/media/")


def crawlable(route: str) -> bool:
    """Not crawled (their patterns are still fuzzed with random keys): deletion confirmations, whose
    posted form would delete what the rest of the run needs, and the admin's per-version history
    pages, slow and one per row."""
    return "delete" not in route and not (route.startswith("admin/") and "history/" in route)


@dataclass(frozen=True)
class Leaf:
    """One URL pattern: its route (as ``ResolverMatch.route`` names it) and how to build paths for it."""

    route: str
    regex: str  # the whole pattern, for generating random matching paths
    formats: tuple[tuple[str, tuple[str, ...]], ...]  # normalize(): ("cadres/people/%(public_id)s/", …)
    converters: dict = field(hash=False, compare=False)


def url_leaves() -> list[Leaf]:
    """Every endpoint of the root URLconf, include()s walked, with the converters of each level."""

    def walk(resolver, route="", regex="", converters=None):
        for pattern in resolver.url_patterns:
            # Joined as Django joins them for ResolverMatch.route: the name a target goes by.
            text = str(pattern.pattern)
            joined = route + text.removeprefix("^") if route else text
            full = regex + pattern.pattern.regex.pattern.removeprefix("^")
            convs = {**(converters or {}), **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, joined, full, convs)
            else:
                formats = tuple((fmt, tuple(params)) for fmt, params in normalize(full))
                yield Leaf(route=joined, regex=full, formats=formats, converters=convs)

    return list(walk(get_resolver()))


def route_of(url: str):
    """The ResolverMatch of a same-site URL, or None (another site, static files, no such page)."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    path = unquote(parts.path)
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in SKIP_URL_NAMES:
        return None
    return match


@dataclass
class Discovery:
    """What one role was shown."""

    pages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # route → URLs
    # route → parameter name → values seen (from GET forms and from links' query strings)
    get_params: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    get_kinds: dict[tuple[str, str], str] = field(default_factory=dict)  # (route, name) → field kind
    # (route, method, field names) → forms seen with that shape (different objects, same form)
    post_forms: dict[tuple, list[Form]] = field(default_factory=lambda: defaultdict(list))
    kwarg_pool: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # URL kwargs seen

    def add_kwargs(self, match) -> None:
        for name, value in match.kwargs.items():
            self.kwarg_pool[name].add(str(value))

    def add_form(self, form: Form) -> bool:
        """Record a form; True when it is a shape not seen before."""
        match = route_of(form.action)
        if match is None:
            return False
        self.add_kwargs(match)
        if form.method == "get":
            route = match.route
            self.pages[route].append(form.action)
            for name, fld in form.fields.items():
                if fld.kind in ("submit", "image"):
                    continue
                self.get_params[route][name].update(v for v in [fld.value, *fld.options] if v)
                self.get_kinds[(route, name)] = fld.kind
            return False
        key = (match.route, *form.signature())
        new = key not in self.post_forms
        if len(self.post_forms[key]) < 4:
            self.post_forms[key].append(form)
        return new

    def add_link(self, url: str) -> None:
        match = route_of(url)
        if match is None:
            return
        self.add_kwargs(match)
        for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            self.get_params[match.route][name].add(value)


def crawl(session, starts: list[str], *, discovery: Discovery, per_route: int, max_pages: int) -> None:
    """Breadth-first through the pages ``session``'s user is shown, recording forms and links.

    A route is visited again (another village, another matter) while its pages keep showing forms of
    a new shape, up to ``per_route`` times: a matter's page shows a different step form at each state.
    """
    queue = deque(starts)
    visited: set[str] = set()
    visits: Counter[str] = Counter()
    dull: Counter[str] = Counter()
    while queue and len(visited) < max_pages:
        url = queue.popleft()
        if url in visited:
            continue
        match = route_of(url)
        if match is None:
            continue
        route = match.route
        if not crawlable(route):
            continue
        limit = 1 if route.startswith("admin/") else per_route
        if visits[route] >= limit or dull[route] >= 2:
            continue
        visited.add(url)
        visits[route] += 1
        discovery.add_kwargs(match)
        discovery.pages[route].append(url)
        response = session.request("GET", url)
        if response is None:
            continue
        if response.status_code in (301, 302, 303) and response.get("Location"):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links, forms = parse_page(response.content.decode("utf-8", "replace"), url)
        novel = False
        for form in forms:
            novel |= discovery.add_form(form)
            if form.method == "get":
                queue.append(form.action)
        for link in links:
            if "export=" in link:
                discovery.add_link(link)  # the parameter is fuzzed; the download is not crawled
                continue
            target = route_of(link)
            if target is not None:
                novel |= visits[target.route] == 0 and target.route not in discovery.pages
                discovery.add_link(link)
                queue.append(link)
        dull[route] = 0 if novel else dull[route] + 1
