"""五公开: drafts with finance lines whose totals must add up, periods, personal data, publishing,
corrections and withdrawal, scoping, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from disclosures import services
from disclosures.models import Category, Disclosure, DisclosureCorrection, FinanceLine
from tests.disclosures.factories import DisclosureFactory, finance

pytestmark = pytest.mark.django_db


def _post(**extra) -> dict:
    """A finance draft's form: income 1,000.00 (one line), expenditure 300.00 + 200.50 = 500.50."""
    data = {
        "village": "513301101201",
        "category": "finance",
        "title": "2026年第三季度财务收支公开",
        "text": "本季度村集体收支情况如下。",
        "posted_on": "2026-10-10",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "income_total": "1000.00",
        "expenditure_total": "500.50",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
        "lines-0-kind": "income",
        "lines-0-item": "上级转移支付",
        "lines-0-amount": "1000.00",
        "lines-1-kind": "expenditure",
        "lines-1-item": "办公经费",
        "lines-1-amount": "300.00",
        "lines-2-kind": "expenditure",
        "lines-2-item": "道路维修",
        "lines-2-amount": "200.50",
        "lines-3-kind": "",
        "lines-3-item": "",
        "lines-3-amount": "",
    }
    data.update(extra)
    return data


def _create(staff, village, **overrides):
    values = {
        "category": Category.FINANCE,
        "title": "财务公开",
        "text": "收支情况。",
        "posted_on": dt.date(2026, 10, 10),
        "period_start": dt.date(2026, 7, 1),
        "period_end": dt.date(2026, 9, 30),
        "income_total": Decimal("1000.00"),
        "expenditure_total": Decimal("500.50"),
        "lines": [
            {"kind": "income", "item": "上级转移支付", "amount": Decimal("1000.00")},
            {"kind": "expenditure", "item": "办公经费", "amount": Decimal("300.00")},
            {"kind": "expenditure", "item": "道路维修", "amount": Decimal("200.50")},
        ],
    }
    values.update(overrides)
    return services.disclosure_create(user=staff, village=village, **values)


# ---------------------------------------------------------------- totals


def test_a_finance_draft_with_lines_that_add_up_is_saved(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post())
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("disclosures:detail", args=[disclosure.public_id])
    assert disclosure.state == Disclosure.State.DRAFT
    assert (disclosure.income_total, disclosure.expenditure_total) == (Decimal("1000.00"), Decimal("500.50"))
    assert sorted((line.kind, line.item, line.amount) for line in disclosure.lines.all()) == [
        ("expenditure", "办公经费", Decimal("300.00")),
        ("expenditure", "道路维修", Decimal("200.50")),
        ("income", "上级转移支付", Decimal("1000.00")),
    ]


@pytest.mark.parametrize(
    ("field", "stated", "message"),
    [
        # 300.00 + 200.50 = 500.50; one fen more or less is refused, with the difference.
        ("expenditure_total", "500.51", "支出合计 500.51 元与各支出明细之和 500.50 元不符，相差 0.01 元。"),
        ("expenditure_total", "500.49", "支出合计 500.49 元与各支出明细之和 500.50 元不符，相差 0.01 元。"),
        ("income_total", "1200.00", "收入合计 1,200.00 元与各收入明细之和 1,000.00 元不符，相差 200.00 元。"),
    ],
)
def test_totals_not_adding_up_are_refused_with_the_difference_and_nothing_saved(
    staff_client, village, field, stated, message
):
    response = staff_client.post(reverse("disclosures:new"), _post(**{field: stated}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Disclosure.objects.count() == 0 and FinanceLine.objects.count() == 0
    # The lines typed stay on the page.
    assert "道路维修" in response.content.decode() and 'value="200.50"' in response.content.decode()


def test_the_service_rechecks_the_totals_and_saves_no_line(staff, village):
    with pytest.raises(ValidationError) as caught:
        _create(staff, village, expenditure_total=Decimal("600.00"))
    assert caught.value.message_dict["expenditure_total"] == [
        "支出合计 600.00 元与各支出明细之和 500.50 元不符，相差 99.50 元。"
    ]
    assert Disclosure.objects.count() == 0 and FinanceLine.objects.count() == 0


def test_a_finance_disclosure_needs_both_totals(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post(income_total=""))
    assert response.status_code == 400
    assert response.context["form"].errors["income_total"] == ["财务公开须填写此项。"]
    assert Disclosure.objects.count() == 0


def test_lines_on_a_non_finance_disclosure_are_refused(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post(category="party"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [services.LINES_NOT_FINANCE]
    assert Disclosure.objects.count() == 0


def test_a_negative_amount_is_refused(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post(**{"lines-2-amount": "-200.50"}))
    assert response.status_code == 400
    assert Disclosure.objects.count() == 0 and FinanceLine.objects.count() == 0


def test_the_database_refuses_a_finance_disclosure_without_totals(village, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclosure.objects.create(
            village=village,
            category="finance",
            title="t",
            text="x",
            posted_on=dt.date(2026, 10, 1),
            period_start=dt.date(2026, 7, 1),
            period_end=dt.date(2026, 9, 30),
            created_by=staff,
        )


# ---------------------------------------------------------------- periods and personal data


def test_a_period_ending_before_it_starts_is_refused(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post(period_end="2026-06-30"))
    assert response.status_code == 400
    assert response.context["form"].errors["period_end"] == [
        "所属期止（2026-06-30）不能早于所属期起（2026-07-01）。"
    ]
    assert Disclosure.objects.count() == 0


def test_a_one_day_period_is_accepted(staff_client, village):
    response = staff_client.post(reverse("disclosures:new"), _post(period_end="2026-07-01"))
    assert response.status_code == 302


def test_the_database_refuses_a_period_ending_before_it_starts(village, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureFactory(village=village, period_start=dt.date(2026, 7, 2), period_end=dt.date(2026, 7, 1))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "联系人电话13812345678。"),
        ("text", "身份证号码513301199001011234。"),
        ("title", "联系 0836-2812345"),
        ("lines-0-item", "张三 138 1234 5678"),
    ],
)
def test_an_id_number_or_phone_is_refused(staff_client, village, field, value):
    response = staff_client.post(reverse("disclosures:new"), _post(**{field: value}))
    assert response.status_code == 400
    assert "请勿填写身份证号码或电话号码" in response.content.decode()
    assert Disclosure.objects.count() == 0 and FinanceLine.objects.count() == 0


# ---------------------------------------------------------------- publish, correct, withdraw


def test_publish_goes_through_a_confirmation_page(staff_client, staff, village):
    disclosure = _create(staff, village)
    url = reverse("disclosures:publish", args=[disclosure.public_id])
    page = staff_client.get(url)
    assert page.status_code == 200 and "发布后即在村务公开栏公开" in page.content.decode()
    disclosure.refresh_from_db()
    assert disclosure.state == Disclosure.State.DRAFT  # the dry run kept nothing
    response = staff_client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.state == Disclosure.State.PUBLISHED and disclosure.published_by == staff


def test_a_published_disclosure_is_not_edited(staff_client, staff, village):
    disclosure = _create(staff, village)
    services.disclosure_publish(disclosure=disclosure, user=staff)
    response = staff_client.post(
        reverse("disclosures:disclosure_edit", args=[disclosure.public_id]),
        _post(version=str(disclosure.version)),
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError) as caught:
        services.disclosure_update(
            disclosure=disclosure, user=staff, version=None, **{**_values(), "title": "改"}
        )
    assert caught.value.messages == [services.NOT_DRAFT % {"state": "已公开"}]
    assert Disclosure.objects.get().title == "财务公开"


def test_a_draft_saved_by_someone_else_meanwhile_is_not_overwritten(staff_client, staff, village):
    """Two clerks open the same draft; the second save is refused in place (400) with a link to the
    current draft, what was typed kept, and the first clerk's lines untouched."""
    disclosure = _create(staff, village)
    opened = str(disclosure.version)
    services.disclosure_update(
        disclosure=disclosure, user=staff, version=disclosure.version, **{**_values(), "title": "先保存的"}
    )
    url = reverse("disclosures:disclosure_edit", args=[disclosure.public_id])
    response = staff_client.post(url, _post(version=opened, title="后保存的"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "您的修改尚未保存" in page
    assert reverse("disclosures:detail", args=[disclosure.public_id]) in page
    assert "后保存的" in page
    assert Disclosure.objects.get().title == "先保存的"
    assert FinanceLine.objects.count() == 0


def test_a_stale_correction_is_refused_and_nothing_recorded(staff_client, staff, village):
    disclosure = _create(staff, village)
    services.disclosure_publish(disclosure=disclosure, user=staff)
    disclosure.refresh_from_db()
    opened = str(disclosure.version)
    services.disclosure_correct(
        disclosure=disclosure, user=staff, version=disclosure.version, reason="先更正", title="先更正的标题"
    )
    response = staff_client.post(
        reverse("disclosures:correct", args=[disclosure.public_id]),
        {
            "version": opened,
            "title": "后更正的标题",
            "text": disclosure.text,
            "posted_on": "2026-10-10",
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "reason": "后更正",
        },
    )
    assert response.status_code == 400
    assert "您的修改尚未保存" in response.content.decode()
    assert Disclosure.objects.get().title == "先更正的标题"
    assert DisclosureCorrection.objects.count() == 1


def _values():
    return {
        "category": Category.PARTY,
        "title": "党务公开",
        "text": "党务。",
        "posted_on": dt.date(2026, 10, 10),
        "period_start": dt.date(2026, 7, 1),
        "period_end": dt.date(2026, 9, 30),
    }


def test_a_correction_needs_a_reason_and_is_recorded(staff_client, staff, village):
    disclosure = _create(staff, village)
    services.disclosure_publish(disclosure=disclosure, user=staff)
    disclosure.refresh_from_db()
    url = reverse("disclosures:correct", args=[disclosure.public_id])
    form = {
        "version": str(disclosure.version),
        "title": "2026年第三季度财务收支公开（更正）",
        "text": disclosure.text,
        "posted_on": "2026-10-10",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "reason": "",
    }
    assert staff_client.post(url, form).status_code == 400
    assert DisclosureCorrection.objects.count() == 0
    response = staff_client.post(url, {**form, "reason": "标题漏写“更正”前的季度。"})
    assert response.status_code == 302
    correction = DisclosureCorrection.objects.get()
    assert correction.changes == {"title": ["财务公开", "2026年第三季度财务收支公开（更正）"]}
    assert correction.corrected_by == staff
    detail = staff_client.get(reverse("disclosures:detail", args=[disclosure.public_id])).content.decode()
    assert "标题漏写" in detail


def test_withdraw_needs_a_reason_and_shows_withdrawn(staff_client, staff, village, client):
    disclosure = _create(staff, village)
    services.disclosure_publish(disclosure=disclosure, user=staff)
    url = reverse("disclosures:withdraw", args=[disclosure.public_id])
    assert staff_client.post(url, {"reason": "", "confirmed": "1"}).status_code == 400
    assert Disclosure.objects.get().state == Disclosure.State.PUBLISHED
    response = staff_client.post(url, {"reason": "金额录入错误，重新公开。", "confirmed": "1"})
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.state == Disclosure.State.WITHDRAWN
    public = client.get(reverse("public_disclosures:detail", args=[disclosure.public_id])).content.decode()
    assert "已撤回" in public and "金额录入错误，重新公开。" in public
    with pytest.raises(ValidationError):
        services.disclosure_withdraw(disclosure=disclosure, user=staff, reason="再撤")


def test_a_draft_is_neither_withdrawn_nor_corrected(staff, village):
    disclosure = _create(staff, village)
    with pytest.raises(ValidationError) as caught:
        services.disclosure_withdraw(disclosure=disclosure, user=staff, reason="x")
    assert caught.value.messages == [services.WITHDRAW_WRONG_STATE % {"state": "草稿"}]
    with pytest.raises(ValidationError):
        services.disclosure_correct(disclosure=disclosure, user=staff, version=None, reason="x", title="y")


def test_publishing_a_disclosure_dated_tomorrow_is_refused(staff, village):
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    disclosure = _create(staff, village, posted_on=tomorrow)
    with pytest.raises(ValidationError):
        services.disclosure_publish(disclosure=disclosure, user=staff)
    today = _create(staff, village, posted_on=timezone.localdate())
    services.disclosure_publish(disclosure=today, user=staff)
    assert today.state == Disclosure.State.PUBLISHED


def test_history_is_attributed(staff_client, staff, village):
    disclosure = _create(staff, village)
    services.disclosure_publish(disclosure=disclosure, user=staff)
    assert {h.history_user for h in disclosure.history.all()} == {staff}
    response = staff_client.get(reverse("disclosures:history", args=[disclosure.public_id]))
    assert response.status_code == 200


# ---------------------------------------------------------------- scoping


def test_another_township_gets_404_everywhere(outsider_client, village, staff):
    disclosure = _create(staff, village)
    for name in ("detail", "disclosure_edit", "publish", "withdraw", "correct", "history"):
        assert (
            outsider_client.get(reverse(f"disclosures:{name}", args=[disclosure.public_id])).status_code
            == 404
        )
    listed = outsider_client.get(reverse("disclosures:list")).context["page_obj"].paginator.count
    assert listed == 0
    assert (
        outsider_client.get(reverse("disclosures:missing"), {"township": "513301101000"}).status_code == 200
    )


def test_the_county_reads_but_may_not_write(official_client, official, staff, village):
    disclosure = _create(staff, village)
    assert official_client.get(reverse("disclosures:detail", args=[disclosure.public_id])).status_code == 200
    for name in ("disclosure_edit", "publish", "withdraw", "correct"):
        url = reverse(f"disclosures:{name}", args=[disclosure.public_id])
        assert official_client.post(url, {"confirmed": "1", "reason": "x"}).status_code == 403
    assert official_client.post(reverse("disclosures:new"), _post()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(disclosure=disclosure, user=official)
    assert Disclosure.objects.get().state == Disclosure.State.DRAFT


def test_staff_cannot_post_for_another_townships_village(staff_client, other_village):
    response = staff_client.post(reverse("disclosures:new"), _post(village=other_village.code))
    assert response.status_code == 400
    assert Disclosure.objects.count() == 0


# ---------------------------------------------------------------- list and export


def test_list_filters_by_category_quarter_and_state(staff_client, village):
    DisclosureFactory(village=village, category="party", posted_on=dt.date(2026, 10, 1))
    DisclosureFactory(village=village, category="party", posted_on=dt.date(2026, 9, 30))
    DisclosureFactory(village=village, category="service", posted_on=dt.date(2026, 12, 31))
    DisclosureFactory(village=village, category="party", posted_on=dt.date(2026, 11, 1), state="draft")

    def count(**params):
        response = staff_client.get(reverse("disclosures:list"), params)
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count

    assert count() == 4
    assert count(period="2026-Q4") == 3  # 10-01, 12-31 and the draft; 09-30 is Q3
    assert count(period="2026-Q4", category="party") == 2
    assert count(period="2026-Q4", category="party", state="published") == 1
    assert count(period="2026") == 4
    assert count(period="2026-Q5") == 0  # a bad quarter is the filter's error, no rows


def test_export_csv_and_xlsx_redact_personal_data(staff_client, village):
    # An older row typed before the rule (written directly) still leaves no phone in an export.
    DisclosureFactory(village=village, title="联系13812345678")
    finance(village)
    response = staff_client.get(reverse("disclosures:list"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert "13812345678" not in text and "［已隐去］" in text
    xlsx = staff_client.get(reverse("disclosures:list"), {"export": "xlsx"})
    assert xlsx.status_code == 200
