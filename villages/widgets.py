"""Widgets for picking administrative units."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy


class FollowingVillageSelect(forms.Select):
    """A village drop-down that follows the township chosen in the same form.

    The server already offers only the chosen township's villages once the form is sent
    (``villages.filters.village_choices``), which is all a browser without JavaScript needs;
    ``static/js/pickers.js`` reloads the options from ``villages:village_options`` as soon as the
    township changes."""

    def __init__(self, attrs=None, *, follows: str = "township"):
        attrs = {
            "data-follows": follows,
            "data-options-url": reverse_lazy("villages:village_options"),
            **(attrs or {}),
        }
        super().__init__(attrs)
