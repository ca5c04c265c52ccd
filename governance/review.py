"""The county desk's review queue (DESIGN §7): what waits for a county official, from every app.

governance never imports an app: each app offers the hooks ``review_items``, ``review_count`` and
``review_act`` on its AppConfig (see governance/hooks.py) and builds :class:`ReviewItem` rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from governance.hooks import app_hooks

QUEUE_LIMIT = 200  # rows on /review/; the count in the heading and the navigation is the full count
HOME_LIMIT = 5  # the first rows shown on a county official's home page


@dataclass
class ReviewItem:
    """One thing waiting for a county official, as an app describes it."""

    kind: str  # what it is: 监督报告, 开放申请, 六个标准化考评
    record: str  # which one: 2026年10月月报, 2026年度 …
    place: str  # village or township (and township) it belongs to
    county: str  # shown to admins, who read every county
    submitted_at: dt.datetime  # when it started waiting: the age is counted from this instant
    url: str  # the record's page
    key: str  # unique across apps, ``app.kind:public_id``; also the action URL's argument
    approve_label: str = ""  # the button: 通过, 开放 …
    return_label: str = ""  # the return button: 退回, 不同意 …
    note: str = ""  # one line under the record (e.g. the township's reason for an exception request)
    approve_url: str = ""
    return_url: str = ""
    age_days: int = 0

    def set_age(self, today: dt.date) -> None:
        self.age_days = (today - timezone.localtime(self.submitted_at).date()).days


def review_queue(user, *, limit: int = QUEUE_LIMIT) -> tuple[list[ReviewItem], int]:
    """The user's queue, oldest first across apps, at most ``limit`` rows, and the full count.

    Each app's ``review_items(user=, limit=)`` returns ``(items, count)`` with its own oldest
    ``limit`` items, so the merged first ``limit`` are exact."""
    from django.urls import reverse

    items: list[ReviewItem] = []
    count = 0
    for hook in app_hooks("review_items"):
        result = hook(user=user, limit=limit)
        if result is None:
            continue
        app_items, app_count = result
        items.extend(app_items)
        count += app_count
    items.sort(key=lambda item: (item.submitted_at, item.key))
    items = items[:limit]
    today = timezone.localdate()
    for item in items:
        item.set_age(today)
        if item.approve_label:
            item.approve_url = reverse("review_act", args=[item.key, "approve"])
        if item.return_label:
            item.return_url = reverse("review_act", args=[item.key, "return"])
    return items, count


def review_count(user) -> int:
    """The queue's length for the navigation, in ONE query on every page: each app's
    ``review_count(user=)`` gives the primary keys of its waiting rows (``values_list("pk")``,
    unordered) and they are counted together (``UNION ALL``)."""
    parts = [rows for rows in (hook(user=user) for hook in app_hooks("review_count")) if rows is not None]
    if not parts:
        return 0
    first, *rest = parts
    return first.union(*rest, all=True).count() if rest else first.count()


def review_act(*, user, key: str, action: str, reason: str) -> str | None:
    """Approve or return the item ``key`` through its app's ``review_act`` hook; the success
    message, or None when no app knows the key. Raises Http404 (not visible) or ValidationError."""
    for hook in app_hooks("review_act"):
        message = hook(user=user, key=key, action=action, reason=reason)
        if message is not None:
            return message
    return None
