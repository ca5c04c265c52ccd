"""A whole page served as one figure (governance/figures.py): the county dashboard, the page county
officials keep open at month end.

The page is rendered once per user and change, as the user sees it, with two holes filled in on
each request: the CSRF token of the header's forms (masked afresh for every response, as Django
does) and the review queue's badge, which follows every report a clerk saves while the page itself
follows only what its sections read. A page with a message to show (after a redirect) is rendered
as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from governance import figures
from governance.context_processors import BADGE_HOLE, review_badge, review_count_for

CSRF_HOLE = "csrf-token-filled-per-response"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def cached_page(request, name: str, parts: tuple, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s page (a 200) from the figures cache for this user: ``parts`` says what it depends
    on besides the records and the user (scope, period, language, day)."""
    if not figures.caching() or len(messages.get_messages(request)):
        return render()
    user = request.user
    # Whatever of the user the page may show or decide by (an account moved to another township
    # or renamed gets its page anew).
    who = (
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.role,
        user.township_id,
        user.county_id,
        user.is_staff,
        user.is_superuser,
    )

    def draw() -> str:
        request.drawing_holes = True
        try:
            html = render().content.decode()
        finally:
            del request.drawing_holes
        return _CSRF_VALUE.sub(rf"\g<1>{CSRF_HOLE}\g<2>", html)

    known = figures.numbers_for(request)
    page_parts = (*who, get_language(), request.get_full_path(), *parts)
    html = figures.cached(f"page:{name}", page_parts, draw, known=known)
    html = html.replace(CSRF_HOLE, get_token(request))
    if BADGE_HOLE in html:
        html = html.replace(BADGE_HOLE, review_badge(review_count_for(request)), 1)
    return HttpResponse(html)
