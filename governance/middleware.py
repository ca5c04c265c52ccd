"""Middleware of the portal: Server-Timing (DESIGN §7), Content-Security-Policy, a plain 503 while the
database is unreachable, a cap on request bodies, and the interface language."""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "SERVER_TIMING", False):
            return self.get_response(request)
        timer = _QueryTimer()
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=False):
                stack.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        response["Server-Timing"] = f'db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries"'
        return response


class PortalLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, showing an English
    browser a half-translated portal; the county works in Chinese, so the browser is not asked.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, on every response: django-csp leaves out DEBUG's 404 and 500 pages,
    but DESIGN §7 asks for the policy on every response, in development too."""

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500) and HEADER not in response:
            policy = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
            if policy:
                response[HEADER] = policy
        return super().process_response(request, response)


DATABASE_UNAVAILABLE_RETRY_SECONDS = 15


def database_unavailable_response() -> HttpResponse:
    """A plain 503 page that needs no database (no user, no session, no context processors)."""
    body = get_template("503.html").render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
    return response


def conflict_response() -> HttpResponse:
    """409 for a database constraint that a concurrent request tripped and no service caught: the
    safety net behind ``governance.integrity.save_checked``; nothing was saved."""
    return HttpResponse(get_template("409.html").render({}), status=409)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Errors that mean "the database cannot be reached now": connection refused or dropped, server
    restarting, too many clients. They pass when the database is back; no input causes them."""
    return isinstance(exc, (OperationalError, InterfaceError))


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable every page answers 503 "try again later" instead of a server
    error, and pages recover by themselves (each request opens or health-checks its connection).

    ``process_exception`` covers errors raised in views, in DEBUG too; ``governance.views.server_error``
    (handler500) covers the rest in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, IntegrityError):
            logger.warning(
                "uncaught constraint violation: %s %s: %s", request.method, request.path, exception
            )
            return conflict_response()
        if is_database_unavailable(exception):
            logger.warning("database unavailable: %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response()
        return None


class RequestSizeLimitMiddleware:
    """Refuses a request body over ``MAX_REQUEST_BYTES`` with 413 before anything reads it. Uploads
    still get their own, smaller limit with a message on the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("请求格式有误。"), status=400, content_type="text/plain; charset=utf-8")
        if length > settings.MAX_REQUEST_BYTES:
            message = _("提交的内容过大（上限 %(limit)s MB）。") % {
                "limit": settings.MAX_REQUEST_BYTES // 2**20
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
