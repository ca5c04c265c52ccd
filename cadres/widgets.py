"""The searchable person picker.

A plain ``<select>`` of the people the form allows, each shown as "姓名 · 出生年份 · 村 · 当前职务"
(``forms.person_choice_label``), so the form works without JavaScript; ``static/js/pickers.js``
turns it into a Tom Select box (vendored in ``static/vendor/tom-select/``) that searches
``cadres:person_search`` as the user types."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from governance.filtering import QuickSelect


class PersonPicker(QuickSelect):  # options written in Python: a county has thousands of people
    def __init__(self, attrs=None, *, search: dict | None = None):
        super().__init__(attrs)
        self.search = search or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("cadres:person_search")
        if self.search:
            url += "?" + urlencode(self.search)
        context["widget"]["attrs"].update(
            {
                "data-picker": "person",
                "data-search-url": url,
                "data-no-results": _("没有匹配的人员"),
                "data-hint": _("输入姓名查找"),
            }
        )
        return context
