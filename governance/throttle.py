"""Login throttling on top of django-axes: by username, and by client address with a higher limit.

Axes counts failures per (username, address, browser) row and compares one number with one limit.
The portal wants two limits: ``LOGIN_FAILURE_LIMIT`` failures on one username lock that username
(from any address: a distributed guesser gains nothing), and ``LOGIN_ADDRESS_FAILURE_LIMIT``
failures from one address lock that address (one machine spraying many usernames). The address
limit is higher because a whole township office often sits behind one NAT address: one clerk's
typos must not lock out the office. ``PortalAxesHandler`` folds both into axes' single comparison.

The lockout page is the portal's own (``registration/locked_out.html``, 429) and says when the lock
ends, in the portal's time zone (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str | None:
    """The address the throttle counts (``AXES_CLIENT_IP_CALLABLE``).

    With ``TRUSTED_PROXY_COUNT`` = n reverse proxies in front of the portal, each appending the
    address it received from to X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``), the client
    is the n-th entry from the right; entries further left came from the client and may be forged.
    With no proxy (the default) the header is ignored and REMOTE_ADDR is the client.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            address = _valid_address(forwarded[-count])
            if address:
                return address
        # No or a garbled header: count the proxy's own address rather than nothing.
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def _valid_address(text: str) -> str | None:
    """``text`` as an IP address, or None (an empty REMOTE_ADDR, as on a Unix socket, would
    otherwise reach the database's inet column and fail)."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _window_start(request) -> dt.datetime:
    return (getattr(request, "axes_attempt_time", None) or timezone.now()) - get_cool_off(request)


def _failure_counts(request, credentials) -> tuple[int, int]:
    """Failures within the cool-off window for this username and for this address: one query."""
    username = get_client_username(request, credentials)
    address = request.axes_ip_address
    totals = AccessAttempt.objects.filter(
        Q(username=username) | Q(ip_address=address), attempt_time__gte=_window_start(request)
    ).aggregate(
        by_username=Sum("failures_since_start", filter=Q(username=username)),
        by_address=Sum("failures_since_start", filter=Q(ip_address=address)),
    )
    return totals["by_username"] or 0, totals["by_address"] or 0


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per address (see the module docstring).

    ``AXES_LOCKOUT_PARAMETERS`` stays ``["username", "ip_address"]`` so axes' own tools (reset
    commands, admin) know both; only the counting differs.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The username's failure count, raised to the username limit once the address is over
        its own limit: axes compares this one number with ``AXES_FAILURE_LIMIT``."""
        by_username, by_address = _failure_counts(request, credentials)
        if by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful login forget this user's own typos from this address, not the failures
        of other users behind the same address, nor a guesser's failures from elsewhere."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def _lock_ends(rows, limit: int, cool_off: dt.timedelta) -> dt.datetime | None:
    """When the failures in ``rows`` (newest first, (time, failures)) drop below ``limit``: when the
    newest row that brings the running total to the limit leaves the window."""
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


def lockout_ends_at(request, credentials: dict | None = None) -> tuple[dt.datetime, bool]:
    """When the lock on this login ends, and whether the address (rather than the username) is
    locked. Reads at most the limit's number of rows per lock (each row holds one or more failures)."""
    cool_off = get_cool_off(request)
    recent = AccessAttempt.objects.filter(attempt_time__gte=_window_start(request)).order_by("-attempt_time")
    columns = ("attempt_time", "failures_since_start")
    username = get_client_username(request, credentials)
    user_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT
    user_end = _lock_ends(
        recent.filter(username=username).values_list(*columns)[:user_limit], user_limit, cool_off
    )
    address_end = _lock_ends(
        recent.filter(ip_address=request.axes_ip_address).values_list(*columns)[:address_limit],
        address_limit,
        cool_off,
    )
    ends = [end for end in (user_end, address_end) if end is not None]
    # Between the refusal and this query an admin may have lifted the lock: say "one window" then.
    ends_at = max(ends) if ends else timezone.now() + cool_off
    return ends_at, address_end is not None and address_end == ends_at


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """``AXES_LOCKOUT_CALLABLE``: the portal's lockout page, 429, with the time the lock ends."""
    ends_at, by_address = lockout_ends_at(request, credentials)
    local_end = timezone.localtime(ends_at)
    # Round up to the minute, so "retry after 14:35" is never a minute too early.
    shown = (local_end + dt.timedelta(seconds=59)).replace(second=0, microsecond=0)
    seconds = max(0, math.ceil((ends_at - timezone.now()).total_seconds()))
    context = {
        "retry_at": shown,
        "minutes": max(1, math.ceil(seconds / 60)),
        "by_address": by_address,
        "username": get_client_username(request, credentials) or "",
    }
    response = render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(seconds)
    return response
