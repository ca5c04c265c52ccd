"""Demo data for village compacts (idempotent). The source article: Kangding guided all 234 village
organisations to regularise their 村规民约 and 文明公约 in 2019. So every current village of the demo
county gets a 村规民约 adopted in 2019 (some with an older one before it, some revised again later,
a few this year) and a 文明公约 (2019, some revised in 2021). A village whose demo 四议两公开 matter
"村规民约修订" reached 决议 gets a version adopted by that matter. Texts are short, plainly synthetic
(marked 示例文本). Choices come from the village code, so a rerun adds nothing."""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction
from django.utils import timezone

from compacts.models import CompactVersion, Kind
from compacts.services import ADOPTING_STATES
from decisions.models import Matter
from governance.demo import demo_actor
from governance.integrity import save_checked
from villages.models import County, Village

DEMO_COUNTY_CODE = "513301000000"
ADOPTING_TOPIC = "村规民约修订"

RULE_ARTICLES = [
    "遵守国家法律法规，维护社会稳定和民族团结。",
    "爱护草场、林地和水源，按村里约定的时间和区域有序采挖虫草，不越界采挖。",
    "红白喜事从简办理，不大操大办，不高额索要彩礼。",
    "保持房前屋后环境卫生，生活垃圾定点投放，牲畜圈养不散放上路。",
    "邻里和睦，矛盾纠纷先由村人民调解委员会调解。",
    "积极参加村民会议和村民代表会议，重大事项按“四议两公开”程序决定。",
    "注意防火，进山入林不带火种，发现火情及时报告。",
    "尊老爱幼，赡养老人，保障适龄儿童入学。",
]
CIVILITY_ARTICLES = [
    "讲文明、树新风，说文明话、办文明事。",
    "孝老爱亲，家庭和睦，邻里互助。",
    "勤俭节约，反对铺张浪费和封建迷信。",
    "爱护公共设施，维护村容村貌整洁。",
    "遵守交通规则，不酒后驾驶。",
    "诚实守信，不参与赌博。",
]


def _pick(text: str, modulo: int) -> int:
    """A stable pseudo-random number from ``text`` (the same on every run and machine)."""
    return zlib.crc32(text.encode()) % modulo


def _text(village: Village, kind: str, adopted_on: dt.date, variant: int) -> str:
    articles = RULE_ARTICLES if kind == Kind.RULES else CIVILITY_ARTICLES
    count = 4 + variant % (len(articles) - 3)
    numbers = "一二三四五六七八九十"
    lines = [f"{numbers[i]}、{article}" for i, article in enumerate(articles[:count])]
    title = f"{village.name}{Kind(kind).label}（{adopted_on.year}年版，示例文本）"
    return "\n".join([title, *lines])


def _plan(
    village: Village, today: dt.date, matter: Matter | None
) -> dict[str, list[tuple[dt.date, Matter | None]]]:
    """(adopted date, adopting matter) of each kind's versions, oldest first."""
    seed = _pick(village.code, 100)
    rules: list[tuple[dt.date, Matter | None]] = []
    if seed < 35:  # an older version, before the county-wide revision
        rules.append((dt.date(2015, 3, 1) + dt.timedelta(days=seed * 9), None))
    rules.append((dt.date(2019, 3, 1) + dt.timedelta(days=(seed * 7) % 270), None))  # the 2019 revision
    if seed % 4 == 1:  # revised again
        rules.append((dt.date(2022 + seed % 3, 4, 1) + dt.timedelta(days=seed), None))
    if seed % 5 == 0:  # revised this year
        day = dt.date(today.year, 1, 10) + dt.timedelta(days=seed * 2)
        rules.append((min(day, today - dt.timedelta(days=1)), None))
    if matter is not None and matter.resolved_on and matter.resolved_on > rules[-1][0]:
        rules.append((min(matter.resolved_on + dt.timedelta(days=3), today), matter))
    civility = [(dt.date(2019, 5, 1) + dt.timedelta(days=(seed * 5) % 200), None)]
    if seed % 4 == 2:
        civility.append((dt.date(2021, 6, 1) + dt.timedelta(days=seed), None))
    return {Kind.RULES: rules, Kind.CIVILITY: civility}


@transaction.atomic
def seed(*, stdout=None) -> None:
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    if county is None:
        return
    user = demo_actor()
    today = timezone.localdate()
    villages = list(Village.objects.filter(township__county=county, valid_to__isnull=True).order_by("code"))
    existing = set(CompactVersion.objects.filter(village__in=villages).values_list("village_id", "kind"))
    matters = {
        m.village_id: m
        for m in Matter.objects.filter(
            village__in=villages, title=ADOPTING_TOPIC, state__in=ADOPTING_STATES, resolved_on__isnull=False
        ).order_by("village_id", "resolved_on")  # the latest resolution of a village wins
    }
    created = 0
    for village in villages:
        plan = _plan(village, today, matters.get(village.pk))
        for kind, versions in plan.items():
            if (village.pk, kind) in existing:
                continue
            for variant, (adopted_on, matter) in enumerate(versions):
                version = CompactVersion(
                    village=village,
                    kind=kind,
                    adopted_on=adopted_on,
                    matter=matter,
                    text=_text(village, kind, adopted_on, variant + _pick(village.code, 7)),
                    recorded_by=user,
                )
                version._history_user = user
                save_checked(version)
                created += 1
    if stdout is not None:
        stdout.write(f"村规民约和文明公约：新建 {created} 个版本。")
