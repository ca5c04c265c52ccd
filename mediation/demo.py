"""Demo data for 人民调解 (idempotent: villages that already have a committee are skipped).

Per current Kangding village: a committee of 3-5 people of the village (from the cadres demo
roster), one of them chair; 1-5 disputes received over the last two years. Grassland and
caterpillar-fungus disputes are common in the pastoral townships (PASTORAL) and rare elsewhere;
most closed disputes end in an agreement, some are referred on or not resolved; recent ones are
mostly still open, and some open ones are older than 30 days (every demo township has a few).
Party names are the cadres demo's plainly synthetic names (扎西示甲…); nothing here is real.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cadres.demo import GIVEN, SECOND
from cadres.models import Person
from governance.demo import DEMO_TOWNSHIP2_CODE, DEMO_TOWNSHIP_CODE, demo_actor
from mediation.models import Category, Committee, Dispute, FollowUp, Member, Outcome
from villages.models import County, Village

DEMO_COUNTY_CODE = "513301000000"
MEMBERS_FROM = dt.date(2022, 4, 1)  # after the spring 2022 village elections of the cadres demo
# Pastoral and semi-pastoral townships (grassland and caterpillar-fungus digging areas): 新都桥,
# 塔公, 沙德, 甲根坝, 贡嘎山, 普沙绒, 呷巴 (a demo choice, by division code).
PASTORAL = {"513301102000", "513301103000", "513301104000", "513301106000", "513301107000",
            "513301211000", "513301214000"}  # fmt: skip

WEIGHTS_PASTORAL = {
    Category.GRASSLAND: 40,
    Category.LAND: 20,
    Category.NEIGHBOURS: 15,
    Category.FAMILY: 12,
    Category.LABOUR: 5,
    Category.OTHER: 8,
}
WEIGHTS_FARMING = {
    Category.GRASSLAND: 5,
    Category.LAND: 30,
    Category.NEIGHBOURS: 25,
    Category.FAMILY: 20,
    Category.LABOUR: 10,
    Category.OTHER: 10,
}
SUMMARIES = {
    Category.GRASSLAND: [
        "两户对夏季草场分界有争议，均称对方牲畜越界放牧（示例）。",
        "虫草采挖季节，相邻两组对采挖区范围各执一词（示例）。",
        "草场承包面积与确权图不一致，双方要求重新勘界（示例）。",
    ],
    Category.LAND: [
        "宅基地边界围墙位置有争议（示例）。",
        "承包地地界石被移动，双方争执（示例）。",
        "修建便道占用邻户耕地，补偿未谈妥（示例）。",
    ],
    Category.FAMILY: [
        "赡养老人费用分担有分歧（示例）。",
        "夫妻因家庭琐事长期争吵，一方提出分居（示例）。",
        "兄弟分家时对房屋归属有争议（示例）。",
    ],
    Category.NEIGHBOURS: [
        "排水沟堵塞导致邻户院坝积水（示例）。",
        "牲畜进入邻户菜地造成损失（示例）。",
        "新建房屋遮挡邻户采光（示例）。",
    ],
    Category.LABOUR: [
        "村内工程务工人员工资未结清（示例）。",
        "合作社务工报酬计算有分歧（示例）。",
    ],
    Category.OTHER: [
        "借款到期未还，双方对金额有争议（示例）。",
        "车辆剐蹭后赔偿未谈妥（示例）。",
    ],
}
REFERRED_TO = ["乡镇综治中心", "司法所", "乡镇人民调解委员会", "县人民法院"]
FOLLOW_UP_NOTES = ["双方按协议履行，关系缓和。", "已按协议补偿，无反复。", "回访时双方表示满意。"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)}{rng.choice(SECOND)}"


def _category(rng: random.Random, pastoral: bool) -> str:
    weights = WEIGHTS_PASTORAL if pastoral else WEIGHTS_FARMING
    return rng.choices(list(weights), weights=list(weights.values()))[0].value


def _outcome(rng: random.Random, received: dt.date, today: dt.date, force_old_open: bool) -> dict:
    """The outcome fields of a dispute received on ``received``."""
    age = (today - received).days
    open_share = 0.85 if age <= 30 else 0.25 if age <= 90 else 0.06
    if force_old_open or rng.random() < open_share:
        return {"outcome": Outcome.OPEN}
    closed = min(received + dt.timedelta(days=rng.randint(2, 45)), today)
    roll = rng.random()
    if roll < 0.74:
        agreed = max(received, closed - dt.timedelta(days=rng.randint(0, 3)))
        return {"outcome": Outcome.AGREEMENT, "closed_on": closed, "agreement_on": agreed}
    if roll < 0.88:
        return {"outcome": Outcome.REFERRED, "closed_on": closed, "referred_to": rng.choice(REFERRED_TO)}
    return {"outcome": Outcome.UNRESOLVED, "closed_on": closed}


@transaction.atomic
def seed(*, stdout=None) -> None:
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    if county is None:
        return
    actor = demo_actor()
    today = timezone.localdate()
    villages = list(
        Village.objects.filter(township__county=county, valid_to__isnull=True)
        .exclude(mediation_committee__isnull=False)
        .select_related("township")
        .order_by("code")
    )
    people = {}
    for person in Person.objects.filter(home_village__in=villages).order_by("pk"):
        people.setdefault(person.home_village_id, []).append(person)
    committees = bulk_create_with_history(
        [Committee(village=v) for v in villages if people.get(v.pk)], Committee, default_user=actor
    )
    members, chosen = [], {}
    for committee in committees:
        rng = random.Random(f"mediation-{committee.village.code}")
        pool = people[committee.village_id]
        picked = rng.sample(pool, min(len(pool), rng.randint(3, 5)))
        chosen[committee.village_id] = [
            Member(committee=committee, person=p, is_chair=k == 0, start_date=MEMBERS_FROM)
            for k, p in enumerate(picked)
        ]
        members.extend(chosen[committee.village_id])
    bulk_create_with_history(members, Member, default_user=actor)
    disputes = []
    for village in villages:
        if village.pk not in chosen:
            continue
        rng = random.Random(f"disputes-{village.code}")
        demo_township = village.township.code in (DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE)
        for k in range(rng.randint(1, 5)):
            received = today - dt.timedelta(days=rng.randint(1, 729))
            force_old_open = demo_township and k == 0 and rng.random() < 0.5
            if force_old_open:
                received = today - dt.timedelta(days=rng.randint(35, 90))
            names = "、".join(dict.fromkeys(_name(rng) for _ in range(rng.choice([2, 2, 2, 3, 4]))))
            category = _category(rng, village.township.code in PASTORAL)
            disputes.append(
                Dispute(
                    village=village,
                    received_on=received,
                    parties=names,
                    category=category,
                    summary=rng.choice(SUMMARIES[Category(category)]),
                    mediator=rng.choice(chosen[village.pk]),
                    created_by=actor,
                    **_outcome(rng, received, today, force_old_open),
                )
            )
    bulk_create_with_history(disputes, Dispute, default_user=actor)
    visits = []
    for dispute in disputes:
        rng = random.Random(f"visit-{dispute.pk}")
        if dispute.outcome == Outcome.AGREEMENT and rng.random() < 0.4:
            visited = dispute.closed_on + dt.timedelta(days=rng.randint(7, 30))
            if visited <= today:
                visits.append(
                    FollowUp(
                        dispute=dispute,
                        visited_on=visited,
                        note=rng.choice(FOLLOW_UP_NOTES),
                        recorded_by=actor,
                    )
                )
    bulk_create_with_history(visits, FollowUp, default_user=actor)
    if stdout is not None:
        stdout.write(
            f"人民调解：新建 {len(committees)} 个调解委员会、{len(members)} 名成员、"
            f"{len(disputes)} 件纠纷、{len(visits)} 条回访。"
        )
