"""Review (_r2) of [6/10] "required fields are marked the same way on every form (the supervision
form marks none)": the real supervision pages, not only the shared partial, mark exactly the
required fields, with the same mark."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MARK = '<abbr class="required" title="必填">*</abbr>'
LABEL = re.compile(r'<label for="id_([\w-]+)">(.*?)</label>', re.S)


def _marks(page: str) -> dict[str, bool]:
    """{field: its label carries the mark} for every field label on the page."""
    found = {}
    for name, label in LABEL.findall(page):
        control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="id_{name}"[^>]*>', page)
        assert control, f"label without a control: {name}"
        required = re.search(r"\srequired(?=[\s>=/])", control.group(0)) is not None
        # A control the browser enforces is marked (a select with a blank choice may be required by
        # the form without the attribute: its mark is checked by name below).
        assert MARK in label or not required, f"{name}: label={label!r}, control={control.group(0)!r}"
        found[name] = MARK in label
    return found


def test_the_new_report_form_marks_exactly_its_required_fields(staff_client, village):
    response = staff_client.get(reverse("supervision:report_new"))
    assert response.status_code == 200
    marks = _marks(response.content.decode())
    assert marks["village"] and marks["period"], marks
    assert not marks["summary"], marks
