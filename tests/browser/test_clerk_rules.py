"""The clerk's day ([6/10]) in Chromium, for the rules the other browser tests do not show yet:

- plausible dates: a rectification found before its period began, a report submitted before its
  period ends without the early reason, a result disclosed inside the resolution's notice period:
  each is refused with the reason next to its field, in Chinese and in English;
- exports: the xlsx downloaded from a list page has column widths and real dates, the CSV carries
  times to the second in Asia/Shanghai;
- history names the reviewer by their display name, not their username, in both languages.

Expected texts are the catalogue's (locale/en) and DESIGN's rules, dates worked out by hand."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from decisions.models import StepKind
from supervision.models import Kind, Report
from tests.decisions.factories import MatterFactory, advance
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]

LANGUAGES = ["zh-hans", "en"]


def _in(page, language: str):
    """Switch the logged-in page to ``language`` with the header's language buttons."""
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def _field(scope, name: str):
    """The .field block of the input called ``name`` (where its help text and errors are shown)."""
    page = getattr(scope, "page", scope)
    return scope.locator(".field", has=page.locator(f"[name={name}]"))


# ---------------------------------------------------------------- plausible dates


FOUND_BEFORE_PERIOD = {
    "zh-hans": "发现日期不能早于本期开始日期（2025-03-01）。",
    "en": "The date found cannot be before the period starts (2025-03-01).",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rectification_found_before_its_period_is_refused_next_to_the_date(
    log_in, staff, village, language
):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3, locks_on=dt.date(2100, 1, 1))
    report = ReportFactory(village=village, period=period)
    page = _in(log_in("staff"), language)
    page.goto(f"/supervision/r/{report.public_id}/")
    form = page.locator("#new-item")
    form.locator("[name=problem]").fill("低保公示未张贴")
    form.locator("[name=responsible]").fill("村文书")
    form.locator("[name=found_on]").fill("2025-02-28")  # one day before the period began
    form.locator("[name=deadline]").fill("2025-03-31")
    form.locator("button[type=submit]").click()

    form = page.locator("#new-item")
    expect(_field(form, "found_on").locator(".errors")).to_have_text(FOUND_BEFORE_PERIOD[language])
    expect(form.locator("[name=problem]")).to_have_value("低保公示未张贴")
    assert not report.opened_items.exists()

    form.locator("[name=found_on]").fill("2025-03-01")  # the first day of the period: accepted
    form.locator("button[type=submit]").click()
    expect(page.locator("#new-item .errors")).to_have_count(0)
    assert list(report.opened_items.values_list("found_on", flat=True)) == [dt.date(2025, 3, 1)]


EARLY_HELP = {
    "zh-hans": "本期结束（{end}）之前提交时必填，例如“村委会换届前提前报送”。",
    "en": 'Required when submitting before the period ends ({end}), e.g. "submitted early before the '
    'committee election".',
}
REQUIRED = {"zh-hans": "这个字段是必填项。", "en": "This field is required."}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_submitted_before_its_period_ends_asks_for_the_early_reason(
    log_in, staff, village, language
):
    today = timezone.localdate()
    period = PeriodFactory(kind=Kind.MONTHLY, year=today.year, number=today.month)
    end = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    report = ReportFactory(village=village, period=period)
    page = _in(log_in("staff"), language)
    page.goto(f"/supervision/r/{report.public_id}/submit/")

    reason = _field(page, "early_reason")
    expect(reason.locator("small")).to_have_text(EARLY_HELP[language].format(end=end.isoformat()))
    expect(reason.locator("abbr.required")).to_have_text("*")
    # A reason of spaces gets past the browser's own check; the server refuses it next to the field.
    reason.locator("textarea").fill("   ")
    page.locator("form.card button[type=submit]").click()
    expect(_field(page, "early_reason").locator(".errors")).to_have_text(REQUIRED[language])
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT

    _field(page, "early_reason").locator("textarea").fill("村委会换届前提前报送")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"**/supervision/r/{report.public_id}/")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.early_reason == "村委会换届前提前报送"


RESULT_HINT = {
    "zh-hans": "决议公示期到{last}为止，实施结果最早{earliest}公开。",
    "en": "The resolution's notice period runs until {last}; the result can be disclosed from {earliest}.",
}
RESULT_TOO_EARLY = {
    "zh-hans": "决议自{disclosed}起公示7天，公示期满后才能公开实施结果：最早{earliest}。",
    "en": "The resolution is on notice for 7 days from {disclosed}; the result can be disclosed only after "
    "the notice period: {earliest} at the earliest.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_result_disclosed_inside_the_notice_period_is_refused_with_the_reason(
    log_in, staff, village, language
):
    today = timezone.localdate()
    matter = MatterFactory(village=village, created_by=staff)
    # Five steps a week apart: the resolution is posted two days ago, for the policy's seven days.
    advance(matter, user=staff, through=StepKind.DISCLOSE_RESOLUTION, start=today - dt.timedelta(days=30))
    disclosed = today - dt.timedelta(days=2)
    assert matter.steps.get(kind=StepKind.DISCLOSE_RESOLUTION).held_on == disclosed
    earliest = disclosed + dt.timedelta(days=7)  # the notice runs disclosed … disclosed + 6
    last = earliest - dt.timedelta(days=1)

    page = _in(log_in("staff"), language)
    page.goto(f"/decisions/{matter.public_id}/")
    form = page.locator("#next-step")
    held_on = _field(form, "held_on")
    params = {"last": last.isoformat(), "earliest": earliest.isoformat(), "disclosed": disclosed.isoformat()}
    expect(held_on.locator("small")).to_contain_text(RESULT_HINT[language].format(**params))
    # The picker offers no day before (min); typed anyway (the form is novalidate, as on an old phone),
    # the server gives the reason next to the date.
    expect(held_on.locator("input")).to_have_attribute("min", earliest.isoformat())
    form.locator("[name=outcome]").fill("村道已硬化完成。")
    held_on.locator("input").fill(today.isoformat())
    form.locator("button[type=submit]").click()

    held_on = _field(page.locator("#next-step"), "held_on")
    expect(held_on.locator(".errors")).to_have_text(RESULT_TOO_EARLY[language].format(**params))
    expect(page.locator("#next-step [name=outcome]")).to_have_value("村道已硬化完成。")
    assert not matter.steps.filter(kind=StepKind.DISCLOSE_RESULT).exists()


# ---------------------------------------------------------------- exports


def test_the_report_list_downloads_as_xlsx_with_widths_and_dates_and_as_csv_to_the_second(
    log_in, staff, township, village
):
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)  # due 2025-04-05
    # 2025-04-03 01:05:07.654321 UTC is 09:05:07 in Kangding (UTC+8); the microseconds are dropped.
    submitted = dt.datetime(2025, 4, 3, 1, 5, 7, 654321, tzinfo=dt.UTC)
    ReportFactory(
        village=village,
        period=period,
        status=Report.Status.SUBMITTED,
        first_submitted_at=submitted,
        submitted_at=submitted,
    )
    page = log_in("staff")
    page.goto("/supervision/")
    expect(page.get_by_role("cell", name=village.name).first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx"), download.value.suggested_filename
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    headers = [cell.value for cell in sheet[1]]
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    width = {
        header: sheet.column_dimensions[cell.column_letter].width
        for header, cell in zip(headers, sheet[1], strict=True)
    }
    # Widths from the content, a Chinese character counting two, plus 2: 姑咱示例01村 is 12 → 14;
    # 2025-04-05 is 10 → 12; 2025-04-03 09:05:07 is 19 → 21 (its header 首次提交时间 is only 12).
    assert width["村（社区）"] == 14
    assert width["截止日期"] == 12
    assert width["首次提交时间"] == 21
    assert row["截止日期"].value == dt.datetime(2025, 4, 5) and row["截止日期"].is_date
    assert row["截止日期"].number_format == "yyyy-mm-dd"
    assert row["首次提交时间"].value == dt.datetime(2025, 4, 3, 9, 5, 7) and row["首次提交时间"].is_date
    assert row["首次提交时间"].number_format == "yyyy-mm-dd hh:mm:ss"

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv"), download.value.suggested_filename
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    assert len(rows) == 1
    assert rows[0]["首次提交时间"] == "2025-04-03 09:05:07"
    assert rows[0]["截止日期"] == "2025-04-05"


# ---------------------------------------------------------------- history names


def test_history_names_the_reviewer_by_display_name_in_both_languages(log_in, page, staff, official, village):
    official.last_name, official.first_name = "王", "审核"  # shown as 王审核 (surname first)
    official.save()
    period = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    report = ReportFactory(
        village=village,
        period=period,
        status=Report.Status.SUBMITTED,
        first_submitted_at=dt.datetime(2025, 4, 3, 1, 0, tzinfo=dt.UTC),
        submitted_at=dt.datetime(2025, 4, 3, 1, 0, tzinfo=dt.UTC),
    )
    log_in("official")
    page.goto(f"/supervision/r/{report.public_id}/")
    page.locator("#id_reason").fill("财务部分请补充支出明细。")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("报告已退回。")).to_be_visible()

    for language, heading in (("zh-hans", "修改记录"), ("en", "Change history")):
        _in(page, language)
        page.goto(f"/supervision/r/{report.public_id}/")
        history = page.locator("section", has=page.get_by_role("heading", name=heading))
        expect(history.locator("li").first).to_contain_text("王审核")
        text = history.inner_text()
        assert "official" not in text, text
