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
- ``dashboard_panel``: like ``home_panel``, for the county dashboard page.
- ``home_panel``: ``"app.panels.home_panel"``, called as ``home_panel(user=)`` and returning
  ``(template_name, context)`` or ``None`` for a section of the home page.
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
