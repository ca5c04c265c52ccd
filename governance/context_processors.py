import functools

from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from governance import figures
from governance.hooks import nav_items
from governance.review import review_count
from governance.roles import can_edit_records, can_review, sees_everything


def portal(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "nav_items": _nav_links() if authenticated else [],
        "portal_urls": _addresses(get_script_prefix()),
        "can_edit_records": authenticated and can_edit_records(user),
        "can_review": authenticated and can_review(user),
        "sees_everything": authenticated and sees_everything(user),
        # County officials see the queue's length in the navigation, counted once per page and only
        # when the page renders the navigation (the template calls it).
        "review_badge": (lambda: _badge(request)) if authenticated and can_review(user) else None,
        # The header's township or county, by name: called only when the header draws it.
        "jurisdiction": (lambda: _jurisdiction(request)) if authenticated else "",
    }


# Where the badge goes in a page cached whole (governance/pages.py), which fills it per request.
BADGE_HOLE = "<!--review-queue-badge-->"


def review_badge(count: int) -> str:
    """The navigation's 审核待办 count: red when something waits."""
    return format_html(
        '<span class="badge {}" data-queue-count="{}">{}</span>', "bad" if count else "none", count, count
    )


def _badge(request) -> str:
    if getattr(request, "drawing_holes", False):
        return mark_safe(BADGE_HOLE)  # noqa: S308 - a constant
    return review_badge(review_count_for(request))


def review_count_for(request) -> int:
    """The length of the user's review queue, once per request."""
    if getattr(request, "review_count", None) is None:
        user = request.user
        # Computed again after a committed write to what the queue reads (governance/figures.py).
        scope = (user.role, user.county_id, user.township_id, sees_everything(user))
        request.review_count = figures.cached(
            "review_count", scope, lambda: review_count(user), known=figures.numbers_for(request)
        )
    return request.review_count


def _jurisdiction(request) -> str:
    """The user's township or county as the header names it, from the figures cache (a query fewer
    on every page; a renamed township is named anew from the next page on, like any figure)."""
    user = request.user
    if not (user.township_id or user.county_id):
        return ""
    parts = (user.township_id, user.county_id, get_language())
    known = figures.numbers_for(request)
    return figures.cached("jurisdiction", parts, lambda: str(user.jurisdiction), known=known)


# The header's own links, besides each app's ``nav`` entry.
HEADER_URLS = ("home", "review", "settings", "admin:index", "logout", "set_language", "public:index")


@functools.cache
def _addresses(prefix: str) -> dict[str, str]:
    """The header's addresses by URL name (``admin:index`` as ``admin_index``), reversed once per
    process and script prefix: they change only with the code, and every page draws them."""
    names = [*HEADER_URLS, *(name for _label, name in nav_items())]
    return {name.replace(":", "_"): reverse(name) for name in names}


def _nav_links() -> list[tuple[str, str]]:
    """Each app's navigation entry as ``(label, address)`` (the label translated when drawn)."""
    addresses = _addresses(get_script_prefix())
    return [(label, addresses[name.replace(":", "_")]) for label, name in nav_items()]
