"""Bounds on the dates and years a form accepts, shared by every app's forms and filters.

Without them a typed year such as 9999 or 20266 is accepted and stored, and the date arithmetic
behind the forms (terms of five years, probation of one, due dates, "the day after") overflows
later, on a page or step that did nothing wrong. A form field that takes a date uses ``DateField``
(or ``DateFilter`` in a django-filter list); a model form says so with
``Meta.field_classes = {"birth_date": DateField}``.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# From the birth dates of the oldest people on record to plans decades ahead. Five-year terms and
# one-year probations added to the latest date stay far inside Python's and PostgreSQL's calendars.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# Years of records (plan years, evaluation years, reporting periods): the span the year fields of the
# forms and filters already accept.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

DATE_OUT_OF_RANGE = _("日期须在%(earliest)s至%(latest)s之间。")


def date_out_of_range() -> ValidationError:
    return ValidationError(
        DATE_OUT_OF_RANGE,
        code="date_out_of_range",
        params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
    )


def validate_plausible_date(value: dt.date) -> None:
    """Refuse a date (or the date of a datetime) outside EARLIEST_DATE..LATEST_DATE."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise date_out_of_range()


def year_in_range(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def parse_year(text: str | None) -> int | None:
    """A year as typed in a URL (``?year=2026``), or None: four ASCII digits within the span.

    ``str.isdigit`` alone lets through "²" and 5,000-digit numbers, on which ``int()`` raises."""
    if not (text and len(text) == 4 and text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if year_in_range(year) else None


# The only value format an <input type="date"> takes, whatever the language: Django would otherwise
# render a date (an initial timezone.localdate too) in the language's first DATE_INPUT_FORMATS, which
# is "2026/11/25" in Chinese, and the browser shows such a value as an empty field.
ISO_DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker, its value always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's argument name)
        super().__init__(attrs, format=format or ISO_DATE_FORMAT)


class DateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE; the browser's date picker gets the same bounds.

    Any DateInput it is given (the apps' own, django-filter's) renders ISO dates: parsing accepts ISO in
    every language, so what is shown is what is read back."""

    widget = DateInput
    default_validators = [validate_plausible_date]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if isinstance(self.widget, forms.DateInput):
            self.widget.format = ISO_DATE_FORMAT

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "date" in (getattr(widget, "input_type", None), widget.attrs.get("type")):
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs


class DateFilter(django_filters.DateFilter):
    """A list filter on a date: out of range is the filter's error, not a crash in the query."""

    field_class = DateField
