"""Pages that hold up ([6/10]): ISO dates in every date picker in both languages, one required mark,
a favicon, exports a spreadsheet shows as typed, history naming people as people read them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from governance.exports import Column, column_widths, display_width, export_response
from governance.fields import DateField, DateFilter, DateInput
from governance.history import display_name, history_entries
from tests.decisions.factories import MatterFactory
from tests.factories import UserFactory
from tests.supervision.factories import ReportFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 25)


# ---------------------------------------------------------------- dates are ISO in both languages


class _Dates(forms.Form):
    plain = DateField(initial=DAY)  # the default widget
    app_widget = DateField(initial=DAY, widget=forms.DateInput(attrs={"type": "date"}))  # supervision's
    today = DateField(initial=timezone.localdate)  # decisions' meeting dates
    typed = DateField(widget=forms.TextInput)  # not a date picker: left alone


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_picker_shows_an_iso_date_whatever_the_language(language):
    with translation.override(language):
        html = str(_Dates())
        bound = str(_Dates(data={"plain": "2026-11-26", "app_widget": "2026/11/27", "typed": "x"}))
    assert f'type="date" name="plain" value="{DAY.isoformat()}"' in html
    assert f'type="date" name="app_widget" value="{DAY.isoformat()}"' in html
    assert f'name="today" value="{timezone.localdate().isoformat()}"' in html
    assert "2026/11/25" not in html  # how Chinese formats used to render it
    # What was typed comes back as typed.
    assert 'value="2026-11-26"' in bound and 'value="2026/11/27"' in bound


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_iso_date_is_read_back_in_both_languages(language):
    with translation.override(language):
        form = _Dates(
            data={
                "plain": "2026-11-25",
                "app_widget": "2026-11-25",
                "today": "2026-11-25",
                "typed": "2026-11-25",
            }
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["plain"] == DAY


def test_a_filter_date_picker_is_iso_too():
    field = DateFilter(widget=forms.DateInput(attrs={"type": "date"})).field
    with translation.override("zh-hans"):
        assert field.widget.format_value(DAY) == "2026-11-25"
    assert isinstance(DateField().widget, DateInput)


def test_a_real_form_shows_todays_date_iso_in_chinese(staff_client, staff, village):
    """A matter's next step form: its meeting date starts at today (timezone.localdate)."""
    matter = MatterFactory(village=village, created_by=staff)
    with translation.override("zh-hans"):
        html = staff_client.get(reverse("decisions:matter_detail", args=[matter.public_id])).content.decode()
    assert timezone.localdate().isoformat() in html
    dates = re.findall(r'<input type="date"[^>]*value="([^"]*)"', html)
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in dates), dates


# ---------------------------------------------------------------- one way of showing form fields


class _Marks(forms.Form):
    needed = forms.CharField(label="姓名", help_text="按身份证填写。")
    optional = forms.CharField(label="备注", required=False)


def test_the_shared_partial_marks_required_fields_and_ties_help_text():
    form = _Marks(data={"needed": "", "optional": "已填"})
    for partial in ("cadres", "decisions", "supervision"):
        html = render_to_string(f"{partial}/_form_fields.html", {"form": form})
        assert html.count('<abbr class="required" title="必填">*</abbr>') == 1, partial  # 姓名 only
        assert '<label for="id_needed">姓名 <abbr' in html
        assert '<label for="id_optional">备注</label>' in html
        assert 'aria-describedby="id_needed_helptext id_needed_error"' in html
        assert '<span class="errors" id="id_needed_error" role="alert">' in html
        assert '<small id="id_needed_helptext">按身份证填写。</small>' in html
        assert 'aria-invalid="true"' in html and "这个字段是必填项。" in html
        assert 'value="已填"' in html


# ---------------------------------------------------------------- favicon


def test_favicon_ico_is_answered_and_every_page_names_the_icon(client, staff_client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header
    with open(finders.find("favicon.svg"), encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")
    for page in (staff_client.get("/"), client.get("/accounts/login/")):
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.content.decode()


# ---------------------------------------------------------------- exports


def _export(fmt, rows):
    columns = [
        Column("名称", lambda row: row["name"]),
        Column("截止日期", lambda row: row["due"]),
        Column("首次提交", lambda row: row["at"]),
    ]
    request = RequestFactory().get("/", {"export": fmt})
    return export_response(request, rows, columns=columns, filename="报告")


ROWS = [
    # 14:05:07.123456 in Kangding is 06:05:07.123456 UTC.
    {"name": "姑咱示例01村", "due": DAY, "at": dt.datetime(2026, 11, 25, 6, 5, 7, 123456, tzinfo=dt.UTC)},
    {"name": "=1+1", "due": None, "at": None},
]


def test_a_csv_export_has_times_to_the_second_in_shanghai():
    body = b"".join(_export("csv", ROWS).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [
        ["名称", "截止日期", "首次提交"],
        ["姑咱示例01村", "2026-11-25", "2026-11-25 14:05:07"],
        ["'=1+1", "", ""],
    ]


def test_an_xlsx_export_has_real_dates_and_columns_wide_enough():
    sheet = load_workbook(io.BytesIO(_export("xlsx", ROWS).getvalue())).active
    name, due, at = (cell for cell in sheet[2])
    assert due.value == dt.datetime(2026, 11, 25) and due.is_date and due.number_format == "yyyy-mm-dd"
    assert at.value == dt.datetime(2026, 11, 25, 14, 5, 7) and at.number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "=1+1"  # still text, never a formula
    # Widths by hand: 姑咱示例01村 is 5 Chinese characters (2 each) and 2 digits = 12, + 2 = 14;
    # 2026-11-25 is 10 characters + 2 = 12 (its header 截止日期 is 8); 2026-11-25 14:05:07 is 19 + 2 = 21.
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [14, 12, 21]


def test_column_widths_stay_within_bounds():
    assert display_width("村") == 2 and display_width("a") == 1
    assert column_widths([["a"], [""]]) == [6]  # a 1-character column is still 6 wide
    assert column_widths([["x" * 57]]) == [59] and column_widths([["x" * 58]]) == [60]
    assert column_widths([["x" * 59]]) == [60]  # at most 60


# ---------------------------------------------------------------- history names people


def test_history_names_the_acting_user_and_the_reviewer_by_their_display_name(county):
    reviewer = UserFactory(
        username="county", role="county", township=None, county=county, last_name="县级审核员"
    )
    report = ReportFactory()
    report._history_user = reviewer
    report.reviewed_by = reviewer
    report.save()
    entry = history_entries(report)[0]
    assert entry.who == "县级审核员"
    assert ("审核人", None, "县级审核员") in [tuple(change) for change in entry.changes]


def test_a_display_name_is_the_full_name_else_the_username():
    assert display_name(UserFactory.build(username="zhang", last_name="张", first_name="三")) == "张三"
    assert display_name(UserFactory.build(username="li", last_name="", first_name="")) == "li"
    assert (
        display_name(UserFactory.build(username="js", first_name="John", last_name="Smith")) == "John Smith"
    )
