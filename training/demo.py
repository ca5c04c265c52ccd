"""Demo data for training (idempotent: nothing is added once the demo county has classes).

For last year and this year: 13 county classes (this year only up to today), two township classes
for each of the two demo townships, and per township one reserve-cadre class (the kind the old
3512 training records became) attended by the year's decided and paired reserve cadres. Attendance
gives each township a coverage between about 70 % and 95 % (derived from its code), so some
secretaries, directors and first secretaries are still to be trained; a few absences carry a reason.
Titles are plainly synthetic (示例)."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cadres.models import (
    Person,
    Position,
    Post,
    ReserveCadre,
    ReserveStage,
    Stationing,
    active_on_q,
    stationed_on_q,
)
from governance.demo import DEMO_TOWNSHIP2_CODE, DEMO_TOWNSHIP_CODE, demo_actor
from training.models import Attendance, AttendanceStatus, Audience, TrainingClass
from training.selectors import coverage_day
from villages.models import County, Township

DEMO_COUNTY_CODE = "513301000000"

S, D, F, R, OTHER = (
    Audience.SECRETARY.value,
    Audience.DIRECTOR.value,
    Audience.FIRST_SECRETARY.value,
    Audience.RESERVE.value,
    Audience.OTHER.value,
)
COUNTY_CLASSES = [
    ("村党组织书记示范培训班（示例）", [S], "县委党校"),
    ("村委会主任履职能力培训班（示例）", [D], "县委党校"),
    ("驻村第一书记业务培训班（示例）", [F], "县委党校"),
    ("乡村振兴政策专题培训（示例）", [S, D, F], "县会议中心"),
    ("“四议两公开”工作法培训（示例）", [S, D], "县委党校"),
    ("集体经济发展专题培训（示例）", [S, D, F], "县会议中心"),
    ("村务监督与财务公开培训（示例）", [D, OTHER], "县委党校"),
    ("农村基层党建实务培训（示例）", [S, OTHER], "县委党校"),
    ("人民调解与矛盾纠纷化解培训（示例）", [D, F, OTHER], "县司法局培训室"),
    ("村规民约修订工作培训（示例）", [S, D], "县会议中心"),
    ("党员教育管理培训（示例）", [S, F], "县委党校"),
    ("基层治理能力提升培训（示例）", [S, D, F], "县委党校"),
    ("年终总结与述职培训（示例）", [S, D, F], "县会议中心"),
]
TOWNSHIP_CLASSES = [
    ("乡镇村干部集中轮训（示例）", [S, D, OTHER], "乡镇会议室"),
    ("乡镇第一书记座谈培训（示例）", [F, S], "乡镇会议室"),
]
RESERVE_COURSES = ["村级事务管理", "乡村振兴政策", "集体经济发展", "农村基层党建", "村务公开与监督"]
ABSENCE_REASONS = ["因病请假", "外出处理村务", "参加乡镇防汛值班", "家中有事请假"]


def _pick(text: str, modulo: int) -> int:
    """A stable pseudo-random number from ``text`` (the same on every run and machine)."""
    return zlib.crc32(text.encode()) % modulo


def _class_days(year: int, count: int, today: dt.date) -> list[dt.date]:
    """``count`` start dates spread over the year, none after ``today``."""
    last = min(dt.date(year, 12, 15), today)
    first = dt.date(year, 1, 10)
    span = max((last - first).days, 0)
    return [first + dt.timedelta(days=span * i // max(count - 1, 1)) for i in range(count)]


def _roster(county, year: int, today: dt.date) -> dict[int, tuple[Person, int, set[str]]]:
    """person pk → (person, township pk, audience kinds) for those covered in ``year``."""
    day = coverage_day(year, today)
    people: dict[int, tuple[Person, int, set[str]]] = {}
    posts = Post.objects.filter(
        active_on_q(day),
        position__in=[Position.SECRETARY, Position.DIRECTOR],
        village__township__county=county,
    ).select_related("person", "village")
    for post in posts:
        kind = S if post.position == Position.SECRETARY else D
        people.setdefault(post.person_id, (post.person, post.village.township_id, set()))[2].add(kind)
    for stationing in Stationing.objects.filter(
        stationed_on_q(day), village__township__county=county
    ).select_related("person", "village"):
        people.setdefault(stationing.person_id, (stationing.person, stationing.village.township_id, set()))[
            2
        ].add(F)
    return people


def _new_class(county, township, title, audience, place, day, hours, user) -> TrainingClass:
    return TrainingClass(
        county=county,
        township=township,
        title=title,
        start_date=day,
        end_date=day + dt.timedelta(days=1 if hours >= 12 else 0),
        place=place,
        hours=hours,
        audience=audience,
        created_by=user,
    )


def _year(county, townships, year: int, today: dt.date, user) -> tuple[list[TrainingClass], list[Attendance]]:
    if dt.date(year, 1, 10) > today:
        return [], []
    classes = []
    days = _class_days(year, len(COUNTY_CLASSES), today)
    for (title, audience, place), day in zip(COUNTY_CLASSES, days, strict=True):
        hours = Decimal(8 + 8 * _pick(f"{title}{year}", 2))
        classes.append(_new_class(county, None, title, audience, place, day, hours, user))
    demo = [t for t in townships if t.code in (DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE)]
    for township in demo:
        for i, (title, audience, place) in enumerate(TOWNSHIP_CLASSES):
            day = _class_days(year, 3, today)[i + 1]
            classes.append(_new_class(county, township, title, audience, place, day, Decimal(4), user))
    reserve_classes = {}
    for township in townships:
        course = RESERVE_COURSES[_pick(township.code + str(year), len(RESERVE_COURSES))]
        day = min(dt.date(year, 7, 1 + _pick(township.code, 28)), today)
        reserve_classes[township.pk] = _new_class(
            county,
            township,
            course,
            [R],
            township.name + "会议室",
            day,
            Decimal(4 + 4 * _pick(course, 2)),
            user,
        )
    classes += reserve_classes.values()
    classes = bulk_create_with_history(classes, TrainingClass, default_user=user)
    by_kind = {
        kind: [c for c in classes if kind in c.audience and c.township_id is None] for kind in (S, D, F)
    }
    township_classes = [c for c in classes if c.township_id is not None and R not in c.audience]
    attendances: dict[tuple[int, int], Attendance] = {}

    def attend(training_class, person, status=AttendanceStatus.ATTENDED, reason=""):
        key = (training_class.pk, person.pk)
        if key not in attendances:
            attendances[key] = Attendance(
                training_class=training_class,
                person=person,
                status=status,
                absence_reason=reason,
                recorded_by=user,
            )

    for person, township_id, kinds in _roster(county, year, today).values():
        rate = 70 + _pick(f"{township_id}", 26)  # the township's coverage: 70-95 %
        options = [c for kind in sorted(kinds) for c in by_kind[kind]]
        options += [c for c in township_classes if c.township_id == township_id and kinds & set(c.audience)]
        if not options:
            continue
        key = f"{person.pk}-{year}"
        if _pick(key, 100) < rate:
            attend(options[_pick(key + "a", len(options))], person)
            if _pick(key + "b", 3) == 0:
                attend(options[_pick(key + "c", len(options))], person)
        elif _pick(key + "d", 2) == 0:
            reason = ABSENCE_REASONS[_pick(key, len(ABSENCE_REASONS))]
            attend(options[_pick(key + "e", len(options))], person, AttendanceStatus.ABSENT, reason)
    reserves = ReserveCadre.objects.filter(
        village__township__county=county,
        plan_year=year,
        stage__in=[ReserveStage.DECIDED, ReserveStage.PAIRED],
    ).select_related("person", "village")
    for reserve in reserves:
        training_class = reserve_classes.get(reserve.village.township_id)
        if training_class is not None:
            attend(training_class, reserve.person)
    return classes, list(attendances.values())


@transaction.atomic
def seed(*, stdout=None) -> None:
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    # The demo's own classes are marked 示例; reserve-cadre classes migrated from an older database
    # (training 0002) must not stop the demo from seeding the rest.
    if county is None or TrainingClass.objects.filter(county=county, title__contains="（示例）").exists():
        return
    user = demo_actor()
    today = timezone.localdate()
    townships = list(Township.objects.filter(county=county, valid_to__isnull=True).order_by("code"))
    classes, attendances = [], []
    for year in (today.year - 1, today.year):
        year_classes, year_attendances = _year(county, townships, year, today, user)
        classes += year_classes
        attendances += year_attendances
    bulk_create_with_history(attendances, Attendance, default_user=user)
    if stdout is not None:
        stdout.write(f"培训：{len(classes)} 个培训班，{len(attendances)} 条出勤记录。")
