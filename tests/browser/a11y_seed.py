"""A small data set for the accessibility tests: enough rows that every main page shows its tables,
badges and forms, built with the factories (the full demo takes ~10 s to seed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cadres.models import Committee, Position, ReserveStage
from decisions.models import Matter, StepKind
from supervision import services as supervision_services
from supervision.models import Kind, Report
from supervision.selectors import latest_due_month
from tests.cadres.factories import (
    DevelopmentFactory,
    EvaluationFactory,
    PersonFactory,
    PostFactory,
    ReserveCadreFactory,
)
from tests.decisions.factories import MatterFactory, advance
from tests.factories import VillageFactory
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory
from villages.models import Township, Village


@dataclass
class Seeded:
    township: Township
    village: Village
    second: Village
    third: Village
    person_id: str
    reserve_id: str
    development_id: str
    draft_report_id: str
    submitted_report_id: str
    open_matter_id: str
    disclosed_matter_id: str
    period_key: str
    year: int
    month: int


def seed(*, township, village, staff) -> Seeded:
    """Three villages of ``township``: posts, a reserve cadre, reports of last month (a draft with a
    rectification, a submitted one, none for the third village), a matter waiting for its review and
    one disclosed in full."""
    today = timezone.localdate()
    second = VillageFactory(township=township, name="姑咱示例02村")
    third = VillageFactory(township=township, name="姑咱示例03村")  # nothing reported yet
    secretary = PostFactory(
        village=village,
        person__name="格桑测试",
        committee=Committee.BRANCH,
        position=Position.SECRETARY,
        start_date=dt.date(2024, 1, 1),
        term_end=dt.date(2029, 1, 1),
    )
    PostFactory(
        village=village,
        person=secretary.person,
        committee=Committee.VILLAGERS,
        position=Position.DIRECTOR,
        start_date=dt.date(2024, 1, 1),
        term_end=dt.date(2029, 1, 1),
    )
    reserve = ReserveCadreFactory(
        village=village,
        person=PersonFactory(home_village=village, name="次仁测试", is_returning_migrant=True),
        plan_year=today.year,
        recommended_on=today.replace(month=1, day=2),
        reviewed_on=today.replace(month=1, day=3),
        stage=ReserveStage.REVIEWED,
    )
    EvaluationFactory(village=village, person=secretary.person, year=today.year - 1)
    development = DevelopmentFactory(village=village, person__name="拉姆测试")

    year, month = latest_due_month(today)
    period = PeriodFactory(kind=Kind.MONTHLY, year=year, number=month)
    draft = ReportFactory(village=village, period=period)
    RectificationFactory(opened_in=draft)
    submitted = ReportFactory(village=second, period=period, findings_finances="收支已公开。")
    supervision_services.report_submit(report=submitted, user=staff)
    submitted = Report.objects.get(pk=submitted.pk)

    open_matter = MatterFactory(village=village, created_by=staff, title="村道硬化工程")
    advance(open_matter, user=staff, through=StepKind.CONSULT)
    disclosed = MatterFactory(village=second, created_by=staff, title="集体收益分配方案")
    advance(disclosed, user=staff, through=StepKind.DISCLOSE_RESULT)
    assert Matter.objects.count() == 2

    return Seeded(
        township=township,
        village=village,
        second=second,
        third=third,
        person_id=str(secretary.person.public_id),
        reserve_id=str(reserve.public_id),
        development_id=str(development.public_id),
        draft_report_id=str(draft.public_id),
        submitted_report_id=str(submitted.public_id),
        open_matter_id=str(open_matter.public_id),
        disclosed_matter_id=str(disclosed.public_id),
        period_key=period.key,
        year=year,
        month=month,
    )
