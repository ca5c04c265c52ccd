"""View decorators for the write rules of DESIGN §1: read-only roles get 403, never a silent no-op."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from governance.roles import can_edit_records, can_review

EDIT_DENIED = _("只有乡镇工作人员可以录入和修改记录。")
REVIEW_DENIED = _("只有县级审核人员可以审核。")


def _requires(check, message):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = _requires(can_edit_records, EDIT_DENIED)
reviewer_required = _requires(can_review, REVIEW_DENIED)
