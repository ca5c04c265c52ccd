"""Server-Timing: every response says how many SQL queries it took and how long they ran (DESIGN §7)."""

from __future__ import annotations

import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
