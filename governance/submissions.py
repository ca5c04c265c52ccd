"""Each form submission is carried out once (a double click, or a resend on a weak connection).

Every POST form of the portal carries a one-time ``submission_token`` (``{% submission_token %}``,
next to ``{% csrf_token %}``). ``SubmissionOnceMiddleware`` claims the token in the same transaction
as the view's writes:

- the first request inserts the claim, runs the view and, when the view redirects (a success), keeps
  the claim with where it redirected to; on an error page (4xx/5xx) everything is rolled back, so
  the same form can be corrected and sent again;
- a second request with the same token waits on the unique index until the first finishes, then is
  sent where the first one went, with a message, and nothing is written twice.

``tests/test_idempotency.py`` checks that every POST form a user is shown carries the token.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy

from governance.middleware import database_unavailable_response, is_database_unavailable

logger = logging.getLogger(__name__)

TOKEN_FIELD = "submission_token"
ALREADY_SAVED = gettext_lazy("这次提交已经保存过（可能是按了两次），没有重复保存。")
# Claims are only needed while a resend can arrive; older ones are deleted as new ones come in.
KEEP_CLAIMS = dt.timedelta(days=2)


def posted_token(request) -> uuid.UUID | None:
    """The submission token of an authenticated POST, or None (no token, or not a UUID)."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except (ValueError, TypeError, AttributeError):
        return None


class SubmissionOnceMiddleware:
    """See the module docstring. Must come after authentication and messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = posted_token(request)
        if token is None:
            return self.get_response(request)
        try:
            return self._once(request, token)
        except Exception as exc:
            if is_database_unavailable(exc):
                return database_unavailable_response()
            raise

    def _once(self, request, token: uuid.UUID):
        from governance.models import Submission

        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = Submission.objects.create(token=token, user=request.user, path=request.path[:300])
            except IntegrityError:
                return self._repeat(request, token)
            Submission.objects.filter(user=request.user, created_at__lt=timezone.now() - KEEP_CLAIMS).delete()
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and response.get("Location"):
                claim.redirect_to = response["Location"][:500]
                claim.save(update_fields=["redirect_to"])
            elif response.status_code >= 400:
                transaction.set_rollback(True)  # an error page: nothing of this request is kept
            else:
                claim.delete()  # a page rendered in place (no redirect): nothing to replay
        return response

    def _repeat(self, request, token: uuid.UUID):
        from governance.models import Submission

        done = Submission.objects.filter(token=token, user=request.user).exclude(redirect_to="").first()
        if done is None:
            # Another user's token, or a claim without a redirect: run the request as a new one.
            logger.info("submission token reused without a result: %s", request.path)
            return self.get_response(request)
        messages.info(request, ALREADY_SAVED)
        return HttpResponseRedirect(done.redirect_to)
