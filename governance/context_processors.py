from governance.hooks import nav_items
from governance.roles import can_edit_records, can_review, sees_everything


def portal(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "nav_items": nav_items() if authenticated else [],
        "can_edit_records": authenticated and can_edit_records(user),
        "can_review": authenticated and can_review(user),
        "sees_everything": authenticated and sees_everything(user),
    }
