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
        request.review_count = review_count(request.user)
    return request.review_count
