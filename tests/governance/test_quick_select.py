"""``governance.filtering.QuickSelect``: a ``<select>`` written in Python for filters with thousands
of options must say to the browser exactly what Django's own template says: the same options, the
chosen one selected, the text escaped, groups kept."""

from __future__ import annotations

import re

from django import forms

from governance.filtering import QuickSelect

CHOICES = [
    ("", "全部乡镇"),
    ("513301101000", "姑咱镇"),
    ("x", "<b>甲</b> & 乙"),
    ("组", [("1", "一"), ("2", "二")]),
]


def options(html: str) -> list[tuple[str, bool, str]]:
    """(value, selected, text) of each option, whatever the whitespace around them."""
    return [
        (value, " selected" in attrs, text)
        for value, attrs, text in re.findall(r'<option value="([^"]*)"([^>]*)>(.*?)</option>', html, re.S)
    ]


def test_the_options_and_the_choice_are_those_djangos_select_writes():
    attrs = {"id": "id_township", "class": "filter"}
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render("township", "513301101000")
    django = forms.Select(choices=CHOICES, attrs=attrs).render("township", "513301101000")
    assert options(quick) == options(django)
    assert options(quick)[1] == ("513301101000", True, "姑咱镇")
    assert sum(selected for _v, selected, _t in options(quick)) == 1


def test_text_is_escaped_and_groups_are_kept():
    html = QuickSelect(choices=CHOICES).render("township", "")
    assert "&lt;b&gt;甲&lt;/b&gt; &amp; 乙" in html and "<b>" not in html
    assert re.search(
        r'<optgroup label="组"><option value="1">一</option><option value="2">二</option></optgroup>', html
    )
    assert html.startswith('<select name="township"') and html.endswith("</select>")
