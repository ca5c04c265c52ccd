"""Filter widgets every list page shares."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _


class AllYesNoSelect(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose blank choice reads "all": django-filter's own reads "unknown" (未知)."""

    def __init__(self, attrs=None, *, yes=None, no=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", yes or _("是")), ("false", no or _("否"))]
