"""How the apps plug into shared pages without the project package importing them.

Each project app may set these attributes on its AppConfig (dotted paths or values):

- ``nav``: ``(label, url_name)`` for the top navigation bar.
- ``demo_seed``: ``"app.demo.seed"``, called by ``seed_demo`` as ``seed(stdout=...)`` in
  INSTALLED_APPS order, so an app's demo data can rely on the apps listed before it.
- ``village_panel``: ``"app.panels.village_panel"``, called as ``village_panel(village=, user=)``
  and returning ``(template_name, context)`` for a section of the village page.
- ``branch_panel``: ``"app.panels.branch_panel"``, called as ``branch_panel(branch=, user=)``
  (a ``villages.PartyBranch`` the user reads) and returning ``(template_name, context)`` or
  ``None`` for a section of the branch page (``/branches/<public_id>/``), rendered with
  ``render_panels("branch_panel", branch=..., user=...)``.
- ``dashboard_panel``: ``"app.panels.dashboard_panel"``, called as ``dashboard_panel(user=, period=)``
  with a ``governance.periods.Period`` (the ``?period=`` of the URL: a month, quarter or year) and
  returning ``(template_name, context)`` or ``None`` for a section of ``/dashboard/``. The context's
  ``tables`` (a list of ``{"title", "headers", "rows"}``, the figures the section shows) become the
  sheets of ``/dashboard/?export=xlsx``. Rows worst first, coloured with ``governance.charts.level``.
- ``province_panel``: ``"app.panels.province_panel"``, called as ``province_panel(user=, period=)``
  for an admin whose deployment has several counties, on ``/dashboard/`` before a county is chosen:
  ``(template_name, context)`` or ``None``, a figure per county (183 rows, not 3,000 townships),
  each county linking to ``/dashboard/?county=<code>`` (that county's ``dashboard_panel`` sections,
  computed for ``governance.scoping.county_reader``). ``tables`` as for ``dashboard_panel``.
- ``home_panel``: ``"app.panels.home_panel"``, called as ``home_panel(user=)`` and returning
  ``(template_name, context)`` or ``None`` for a section of the home page. The context may hold
  ``order`` (an int, default 100): the home page shows panels by ascending ``order``, then in
  INSTALLED_APPS order, so what needs the township first comes first. In use: 10 supervision
  (returned reports, then this period's missing ones), 20 disclosures (villages without a finance
  disclosure this quarter), 30 decisions (overdue steps), 40 cadres (terms ending).
- ``review_items``: ``"app.panels.review_items"``, called as ``review_items(user=, limit=)`` and
  returning ``None`` (nothing for this user) or ``(items, count)``: at most ``limit`` of the app's
  :class:`governance.review.ReviewItem` waiting for this user, oldest first, and how many wait in
  all. ``/review/`` and the county home merge them oldest first across apps (governance/review.py).
- ``review_count``: ``"app.panels.review_count"``, called as ``review_count(user=)`` and returning
  ``None`` or an unordered queryset of the primary keys (``values_list("pk")``) of the rows
  ``review_items`` counts. The navigation shows the queue's length on every page of a county
  official: governance counts every app's rows together, in one query (``UNION ALL``).
- ``review_act``: ``"app.panels.review_act"``, called as ``review_act(user=, key=, action=, reason=)``
  with ``action`` ``"approve"`` or ``"return"``: ``None`` when ``key`` is not the app's, else the
  app's own service runs and the success message is returned. Raises ``Http404`` for a record the
  user cannot read and ``ValidationError`` when the service refuses (e.g. a return without reason).
- ``public_panel``: ``"app.panels.public_panel"``, called as ``public_panel(village=)`` with no user
  (the board needs no login) and returning ``(template_name, context)`` or ``None`` for a section of
  the village's public board page ``/public/village/<code>/``: only records meant for the public, with
  free text passed through ``governance.privacy.redact_personal`` (template filter ``redact_personal``
  in ``portal_forms``). The template gets the context as ``panel``.
- ``person_training``: ``"app.panels.person_training"``, called as ``person_training(person=, user=)``
  and returning ``(template_name, context)`` or ``None`` for the training section of a person's
  pages (the reserve cadre page): the classes the person attended or missed (training/, which holds
  the reserve cadres' training records since [9/10]). The template gets the context as ``panel``.
- ``settings_panel``: ``"app.policy_panel.settings_panel"``, called as
  ``settings_panel(user=, county=, data=)`` for a section of ``/settings/``: the app's local policy
  for ``county`` (a County, or None for the deployment default); ``data`` is the POST, addressed to
  one section by its ``section`` field. Returns ``(template_name, context)``; the context's
  ``saved`` makes the page redirect, a bound ``form`` with errors makes it answer 400
  (``governance.policy.policy_panel``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


def app_hooks(attribute: str) -> Iterator[Callable[..., Any]]:
    """Yield the callables named by ``attribute`` on the installed apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        path = getattr(config, attribute, None)
        if path:
            yield import_string(path)


def app_hooks_with_labels(attribute: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Like ``app_hooks``, with each app's label (governance/figures.py keys a section by it)."""
    for config in apps.get_app_configs():
        path = getattr(config, attribute, None)
        if path:
            yield config.label, import_string(path)


def nav_items() -> list[tuple[str, str]]:
    return [config.nav for config in apps.get_app_configs() if getattr(config, "nav", None)]


def render_panels(attribute: str, **kwargs: Any) -> list[tuple[str, dict]]:
    """Collect ``(template, context)`` sections from every app that offers ``attribute``."""
    panels = []
    for hook in app_hooks(attribute):
        panel = hook(**kwargs)
        if panel is not None:
            panels.append(panel)
    return panels
