"""Demo supervision reports for the 234 Kangding demo villages (idempotent, bulk inserts + history).

Monthly reports from January 2025 to the month before today, their quarterly summaries and the
2025 annual duty reports, with realistic gaps: some late, some missing, some returned, drafts,
and rectification items that stay open across months until a later report closes them.
Everything is deterministic (derived from the village's and month's positions).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from governance.demo import DEMO_TOWNSHIP_CODE, demo_actor
from governance.models import User
from supervision.models import AREA_FIELDS, Area, Kind, Rectification, Report, ReportingPeriod
from supervision.selectors import latest_due_month
from supervision.services import period_ensure
from villages.demo import KANGDING_CODE
from villages.models import Village

FIRST_YEAR = 2025

TEXTS = {
    "findings_decisions": [
        "本月“四议两公开”事项1件，决议已在村务公开栏公示7天，未发现程序问题。",
        "列席村两委联席会议2次，重大事项均经党员大会审议，会议记录完整。",
        "公开栏内容更新及时，但部分公开事项未注明公开期限，已提醒整改。",
    ],
    "findings_finances": [
        "审核村级财务收支单据23张，手续齐全，账实相符。",
        "集体资产台账与实物核对一致，本月无资产处置。",
        "发现2笔误工补贴支出缺少经手人签字，已要求补签。",
    ],
    "findings_projects": [
        "村道硬化项目按合同推进，监委会全程参与隐蔽工程验收。",
        "本月无在建工程项目。",
        "饮水工程维修项目已完工，结算资料待乡镇审核。",
    ],
    "findings_benefits": [
        "低保、临时救助名单已公示，未收到异议。",
        "草原生态补奖资金发放到户，抽查5户无误。",
        "耕地地力保护补贴名单核对中发现1户信息有误，已报乡镇更正。",
    ],
    "findings_integrity": [
        "村干部述廉情况正常，未收到信访举报。",
        "开展廉政谈话1次，传达县纪委通报案例。",
        "未发现违规操办婚丧喜庆事宜情况。",
    ],
    "summary": [
        "本月村务运行总体规范，监督事项已逐项记录。",
        "监督工作按计划开展，问题已提出整改要求并跟踪落实。",
    ],
}
PROBLEMS = {
    Area.DECISIONS: "公开事项未注明公开期限",
    Area.FINANCES: "误工补贴支出单据缺少经手人签字",
    Area.PROJECTS: "工程变更未经村民代表会议讨论",
    Area.BENEFITS: "补贴名单中1户信息与实际不符",
    Area.INTEGRITY: "村干部亲属享受救助未按规定回避",
}
RESPONSIBLE = ["村党支部书记", "村委会主任", "村报账员", "村文书"]
RETURN_REASON = "财务部分未附支出明细，请补充后重新提交。"


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _texts(seed: int) -> dict[str, str]:
    return {field: options[(seed + i) % len(options)] for i, (field, options) in enumerate(TEXTS.items())}


def _months(today: dt.date) -> list[tuple[int, int]]:
    last = latest_due_month(today)
    months, ym = [], (FIRST_YEAR, 1)
    while ym <= last:
        months.append(ym)
        ym = (ym[0], ym[1] + 1) if ym[1] < 12 else (ym[0] + 1, 1)
    return months


def _fate(v: int, m: int, is_current: bool, demo_township: bool) -> str:
    """What happened to village v's report of month m: missing / draft / late / returned / ontime."""
    h = (v * 37 + m * 53 + v * m) % 100
    if is_current:
        # The month being collected now: the demo township has most still to do.
        if demo_township:
            return "ontime" if h < 20 else "draft" if h < 30 else "missing"
        return "ontime" if h < 65 else "late" if h < 75 else "draft" if h < 85 else "missing"
    if h < 4:
        return "missing"
    if h < 6:
        return "draft"
    if h < 14:
        return "late"
    if h < 17:
        return "returned"
    return "ontime"


def _report(
    village, period, fate, seed, actor, reviewer, reporter, approved: bool, texts=None
) -> Report | None:
    if fate == "missing":
        return None
    report = Report(
        village=village,
        township_id=village.township_id,
        period=period,
        reporter=reporter,
        created_by=actor,
        **(texts or _texts(seed)),
    )
    report.created_at = _local(period.end, 18)
    if fate == "draft":
        return report
    offset = -(seed % 4) if fate in ("ontime", "returned") else 1 + seed % 6
    submitted = _local(period.due_date + dt.timedelta(days=offset), 9 + seed % 8)
    report.first_submitted_at = report.submitted_at = submitted
    report.version = 2
    if fate == "returned":
        report.status = Report.Status.RETURNED
        report.return_reason = RETURN_REASON
        report.reviewed_by, report.reviewed_at = reviewer, submitted + dt.timedelta(days=2)
        report.version = 3
    elif approved:
        report.status = Report.Status.APPROVED
        report.reviewed_by, report.reviewed_at = reviewer, submitted + dt.timedelta(days=3)
        report.version = 3
    else:
        report.status = Report.Status.SUBMITTED
    return report


@transaction.atomic
def seed(*, stdout=None) -> None:
    if Report.objects.filter(township__county__code=KANGDING_CODE).exists():
        if stdout:
            stdout.write("  监督报告：已存在，跳过")
        return
    from cadres.selectors import supervision_reporter_for

    today = timezone.localdate()
    actor = demo_actor()
    reviewer = User.objects.filter(username="county").first()
    villages = list(
        Village.objects.filter(township__county__code=KANGDING_CODE, valid_to__isnull=True)
        .select_related("township")
        .order_by("code")
    )
    reporters = {v.pk: supervision_reporter_for(village=v, on=today) for v in villages}
    months = _months(today)
    periods = {ym: period_ensure(kind=Kind.MONTHLY, year=ym[0], number=ym[1]) for ym in months}
    reports: list[Report] = []
    plan: dict[tuple[int, int], Report] = {}
    for v_index, village in enumerate(villages):
        demo_township = village.township.code == DEMO_TOWNSHIP_CODE
        for m_index, ym in enumerate(months):
            period = periods[ym]
            is_current = ym == months[-1]
            fate = _fate(v_index, m_index, is_current, demo_township)
            approved = not is_current and (today - period.due_date).days > 20
            report = _report(
                village, period, fate, v_index + m_index, actor, reviewer, reporters[village.pk], approved
            )
            if report is not None:
                reports.append(report)
                plan[(village.pk, m_index)] = report
    bulk_create_with_history(reports, Report, batch_size=2000, default_user=actor)
    items = _rectifications(villages, months, periods, plan, today)
    bulk_create_with_history(items, Rectification, batch_size=2000, default_user=actor)
    rollups = _rollups(villages, months, plan, actor, reviewer, reporters, today)
    bulk_create_with_history(rollups, Report, batch_size=2000, default_user=actor)
    if stdout:
        stdout.write(
            f"  监督报告：月报 {len(reports)} 份，季度/年度 {len(rollups)} 份，整改事项 {len(items)} 项"
        )


def _rectifications(villages, months, periods, plan, today) -> list[Rectification]:
    """Every ~6th submitted monthly report finds a problem; a report 1-4 months later closes it,
    and some stay open to today (carried forward on every later report)."""
    items = []
    areas = list(Area)
    for v_index, village in enumerate(villages):
        open_items: list[tuple[Rectification, int]] = []
        for m_index, ym in enumerate(months):
            report = plan.get((village.pk, m_index))
            if report is None or report.first_submitted_at is None and m_index != len(months) - 1:
                continue
            still_open = []
            for item, close_at in open_items:
                if m_index >= close_at:
                    item.status = Rectification.Status.CLOSED
                    item.closed_in = report
                    item.closed_on = min(periods[ym].end, today)
                    item.closing_note = "已按要求整改到位，经监委会核实销号。"
                else:
                    still_open.append((item, close_at))
            open_items = still_open
            if (v_index + 3 * m_index) % 6 == 0:
                area = areas[(v_index + m_index) % len(areas)]
                found = periods[ym].start + dt.timedelta(days=(v_index % 20) + 3)
                item = Rectification(
                    village=village,
                    opened_in=report,
                    area=area,
                    problem=PROBLEMS[area],
                    responsible=RESPONSIBLE[v_index % len(RESPONSIBLE)],
                    found_on=found,
                    deadline=found + dt.timedelta(days=30 * (1 + v_index % 2)),
                )
                items.append(item)
                # A third never closes within the demo; the rest close 1-4 months later.
                close_at = 10_000 if (v_index + m_index) % 3 == 0 else m_index + 1 + (v_index % 4)
                open_items.append((item, close_at))
    return items


def _rollups(villages, months, plan, actor, reviewer, reporters, today) -> list[Report]:
    """Quarterly summaries from the months, the 2025 annual duty report from the quarters."""
    month_index = {ym: i for i, ym in enumerate(months)}
    reports = []
    quarters = sorted({(y, (m - 1) // 3 + 1) for (y, m) in months})
    for v_index, village in enumerate(villages):
        quarter_reports = {}
        for q_index, (year, quarter) in enumerate(quarters):
            period = ReportingPeriod.build(Kind.QUARTERLY, year, quarter)
            if period.due_date > today or any(
                (year, m) not in month_index for m in range(3 * quarter - 2, 3 * quarter + 1)
            ):
                continue
            period = period_ensure(kind=Kind.QUARTERLY, year=year, number=quarter)
            children = [
                plan.get((village.pk, month_index[(year, m)]))
                for m in range(3 * quarter - 2, 3 * quarter + 1)
            ]
            texts = _combined([c for c in children if c is not None])
            fate = _fate(v_index, 100 + q_index, False, False)
            report = _report(
                village, period, fate, v_index + q_index, actor, reviewer, reporters[village.pk], True, texts
            )
            if report is not None:
                reports.append(report)
                quarter_reports[(year, quarter)] = report
        for year in sorted({y for (y, _) in quarters}):
            period = ReportingPeriod.build(Kind.ANNUAL, year, 1)
            if period.due_date > today:
                continue
            period = period_ensure(kind=Kind.ANNUAL, year=year, number=1)
            texts = _combined(
                [quarter_reports[(year, q)] for q in range(1, 5) if (year, q) in quarter_reports]
            )
            fate = _fate(v_index, 200 + year, False, False)
            report = _report(
                village, period, fate, v_index, actor, reviewer, reporters[village.pk], True, texts
            )
            if report is not None:
                reports.append(report)
    return reports


def _combined(children: list[Report]) -> dict[str, str]:
    """The same pre-fill the entry form offers (selectors.rollup_text), from in-memory reports."""
    fields = [*AREA_FIELDS.values(), "summary"]
    return {
        f: "\n".join(f"【{c.period.label}】{getattr(c, f)}" for c in children if getattr(c, f))
        for f in fields
    }
