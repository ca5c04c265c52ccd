"""Demo data for 五公开 (idempotent): for Kangding's current villages, one disclosure of each
category per quarter for the last six quarters (posted early in the quarter, covering the quarter
before), finance ones with 3-8 lines that add up. About one village in seven has not disclosed this
quarter yet and a few have drafts waiting. Titles say 示例; choices follow from the village code, so
a rerun adds nothing."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from disclosures.models import Category, Disclosure, FinanceLine
from disclosures.selectors import quarter_of
from governance.demo import demo_actor
from villages.models import County, Village

DEMO_COUNTY_CODE = "513301000000"
QUARTERS = 6

INCOME_ITEMS = ["上级转移支付", "集体资产租赁收入", "村集体经济分红", "项目补助资金", "其他收入"]
EXPENDITURE_ITEMS = ["村干部报酬", "办公经费", "道路维修", "环境卫生整治", "公共服务运行维护", "水电费"]
TEXTS = {
    Category.PARTY: "本季度党员发展、党费收缴和组织生活情况如下（演示数据）：支部会议3次。",
    Category.VILLAGE: "本季度村务决策和实施情况如下（演示数据）：按“四议两公开”程序议定事项，结果已公开。",
    Category.FINANCE: "本季度村集体收支情况如下（演示数据），如有疑问请向村务监督委员会反映。",
    Category.SERVICE: "本季度为民办事和便民服务情况如下（演示数据）：代办各类事项若干件，均已办结。",
}


def _pick(text: str, modulo: int) -> int:
    """A stable pseudo-random number from ``text`` (the same on every run and machine)."""
    return zlib.crc32(text.encode()) % modulo


def _lines(key: str) -> list[FinanceLine]:
    count = 3 + _pick(key, 6)  # 3..8 lines
    lines = []
    for n in range(count):
        income = n < max(1, count // 3)
        items = INCOME_ITEMS if income else EXPENDITURE_ITEMS
        amount = Decimal(500 + _pick(f"{key}{n}", 60_000)) + Decimal(_pick(f"{key}{n}f", 100)) / 100
        lines.append(
            FinanceLine(
                position=n + 1,
                kind=FinanceLine.Kind.INCOME if income else FinanceLine.Kind.EXPENDITURE,
                item=items[_pick(f"{key}{n}i", len(items))],
                amount=amount,
            )
        )
    return lines


def _state(village, quarter, this_quarter, category) -> str | None:
    """None: not posted. Older quarters: nearly all published; this quarter: some villages missing,
    a few drafts."""
    seed = _pick(f"{village.code}{quarter.key}{category}", 100)
    if quarter != this_quarter:
        return None if seed < 4 else Disclosure.State.PUBLISHED
    village_seed = _pick(village.code, 100)
    if village_seed < 14:  # about one village in seven has not disclosed anything this quarter
        return None
    if seed < 8:
        return Disclosure.State.DRAFT
    if seed < 15:
        return None
    return Disclosure.State.PUBLISHED


@transaction.atomic
def seed(*, stdout=None) -> None:
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    if county is None:
        return
    user = demo_actor()
    now = timezone.now()
    today = timezone.localdate()
    this_quarter = quarter_of(today)
    villages = list(Village.objects.filter(township__county=county, valid_to__isnull=True).order_by("code"))
    existing = set(
        Disclosure.objects.filter(village__in=villages).values_list("village_id", "category", "period_start")
    )
    disclosures, lines_of = [], {}
    for back in range(QUARTERS - 1, -1, -1):
        quarter = this_quarter.shifted(-back)
        covered = quarter.shifted(-1)
        for village in villages:
            for category in Category:
                if (village.pk, category.value, covered.start) in existing:
                    continue
                state = _state(village, quarter, this_quarter, category.value)
                if state is None:
                    continue
                key = f"{village.code}{quarter.key}{category.value}"
                posted = min(quarter.start + dt.timedelta(days=3 + _pick(key, 25)), today)
                disclosure = Disclosure(
                    village=village,
                    category=category,
                    title=f"{covered.label}{category.label}公开（示例）",
                    text=TEXTS[category],
                    posted_on=posted,
                    period_start=covered.start,
                    period_end=covered.end,
                    state=state,
                    created_by=user,
                    published_at=now if state == Disclosure.State.PUBLISHED else None,
                    published_by=user if state == Disclosure.State.PUBLISHED else None,
                )
                if category == Category.FINANCE:
                    lines = _lines(key)
                    disclosure.income_total = sum(
                        (x.amount for x in lines if x.kind == FinanceLine.Kind.INCOME), Decimal("0.00")
                    )
                    disclosure.expenditure_total = sum(
                        (x.amount for x in lines if x.kind == FinanceLine.Kind.EXPENDITURE), Decimal("0.00")
                    )
                    lines_of[len(disclosures)] = lines
                disclosures.append(disclosure)
    created = bulk_create_with_history(disclosures, Disclosure, batch_size=2000, default_user=user)
    lines = []
    for index, disclosure in enumerate(created):
        for line in lines_of.get(index, []):
            line.disclosure = disclosure
            lines.append(line)
    bulk_create_with_history(lines, FinanceLine, batch_size=2000, default_user=user)
    if stdout is not None:
        stdout.write(f"五公开：新建 {len(created)} 条公开事项，{len(lines)} 条财务收支明细。")
