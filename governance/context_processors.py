from governance import figures
from governance.hooks import nav_items
from governance.review import review_count
from governance.roles import can_edit_records, can_review, sees_everything


def portal(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "nav_items": nav_items() if authenticated else [],
        "can_edit_records": authenticated and can_edit_records(user),
        "can_review": authenticated and can_review(user),
        "sees_everything": authenticated and sees_everything(user),
        # County officials see the queue's length in the navigation, counted once per page and only
        # when the page renders the navigation (the template calls it).
        "review_count": (lambda: _review_count(request)) if authenticated and can_review(user) else None,
    }


def _review_count(request) -> int:
    if getattr(request, "review_count", None) is None:
        user = request.user
        # Computed again after any committed write (governance/figures.py), not on every page.
        scope = ("review_count", user.role, user.county_id, user.township_id, sees_everything(user))
        request.review_count = figures.cached(
            scope, lambda: review_count(user), reads=figures.all_apps(), known=figures.numbers_for(request)
        )
    return request.review_count
