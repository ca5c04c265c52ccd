"""Demo branches for Kangding (DESIGN §3; the article's 32 functional branches), idempotent.

Seasonal caterpillar-fungus branches active May-July in the grassland townships, youth-talent and
migrant-worker branches (one of them active over the Spring Festival return, December to February:
a season crossing the year end), a village-village joint branch owned by 姑咱镇 (the demo
``township`` user's) that links a village of 新都桥镇 (``township2``'s), and village-enterprise
joint branches with enterprises whose unified social credit codes are valid but made up (area code
513301, organisation code plainly synthetic). Everything goes through the services, acting as a
clerk of the owning township.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from branches.models import Enterprise
from branches.services import branch_create, enterprise_create
from cadres import idnumbers
from cadres.membership import membership_register
from cadres.models import Membership, Sex
from cadres.services import person_create
from governance.models import User
from governance.roles import Role
from villages.models import PartyBranch, Township, Village

FOUNDED = dt.date(2019, 4, 1)
K = PartyBranch.Kind

# (township suffix, count) per kind: 14 + 9 + 9 = 32 functional branches county-wide.
SEASONAL = {
    "103": 2,
    "102": 2,
    "104": 1,
    "106": 2,
    "107": 1,
    "201": 2,
    "214": 1,
    "218": 1,
    "211": 1,
    "101": 1,
}
YOUTH = dict.fromkeys(["001", "002", "101", "102", "103", "105", "108", "205", "212"], 1)
MIGRANT = dict.fromkeys(["001", "101", "102", "104", "106", "107", "201", "208", "214"], 1)
NUMERALS = "一二三四五六七八九十"

# Valid check characters, synthetic organisation codes (GB 32100-2015).
ENTERPRISES = [
    ("101", "康定示例农牧科技有限公司", "91513301MA62K4T80M"),
    ("102", "新都桥示例文旅发展有限公司", "91513301MA6AB3XQ0N"),
]


def _clerk(township: Township) -> User:
    """An unsaved township clerk: the services' owner check, without creating an account."""
    return User(username=f"demo-{township.code}", role=Role.TOWNSHIP_STAFF, township=township)


def _villages(township: Township) -> list[Village]:
    return list(township.villages.filter(valid_to__isnull=True).order_by("code"))


def _ensure(township: Township, name: str, **fields) -> bool:
    if PartyBranch.objects.filter(township=township, name=name).exists():
        return False
    branch_create(user=_clerk(township), township=township, name=name, start_date=FOUNDED, **fields)
    return True


def _functional(townships: dict[str, Township]) -> int:
    created = 0
    plans = [
        (SEASONAL, K.SEASONAL_MOBILE, "虫草山流动党支部", {"season_start_month": 5, "season_end_month": 7}),
        (YOUTH, K.YOUTH_TALENT, "青年人才党支部", {}),
        (MIGRANT, K.MIGRANT_WORKER, "农民工服务管理党支部", {}),
    ]
    for spec, kind, suffix, season in plans:
        for code, count in spec.items():
            township = townships[code]
            short = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
            villages = _villages(township)
            for n in range(count):
                extra = dict(season)
                # One migrant-worker branch serves the Spring Festival return: December-February.
                if kind == K.MIGRANT_WORKER and code == "101":
                    extra = {"season_start_month": 12, "season_end_month": 2, "season_crosses_year": True}
                name = f"{short}示例{NUMERALS[n]}{suffix}"
                village = villages[(n * 3) % len(villages)] if villages else None
                created += _ensure(township, name, kind=kind, village=village, **extra)
    return created


def _enterprise(township: Township, name: str, code: str) -> Enterprise:
    found = Enterprise.objects.filter(credit_code=code).first()
    return found or enterprise_create(user=_clerk(township), name=name, credit_code=code)


def _joint(townships: dict[str, Township]) -> int:
    guzan, xinduqiao = townships["101"], townships["102"]
    g, x = _villages(guzan), _villages(xinduqiao)
    enterprises = {code: _enterprise(townships[code], name, credit) for code, name, credit in ENTERPRISES}
    created = _ensure(
        guzan, "姑咱—新都桥示例村村联建党支部", kind=K.JOINT_VILLAGE_VILLAGE, villages=[g[1], x[0]]
    )
    created += _ensure(
        guzan,
        "姑咱示例村企联建党支部",
        kind=K.JOINT_VILLAGE_ENTERPRISE,
        village=g[2],
        villages=[g[2]],
        enterprises=[enterprises["101"]],
    )
    created += _ensure(
        xinduqiao,
        "新都桥示例村企联建党支部",
        kind=K.JOINT_VILLAGE_ENTERPRISE,
        villages=[x[1], x[2]],
        enterprises=[enterprises["102"]],
    )
    return created


# Members of the demo's own branches: new people (the village branches' members stay where the
# cadres demo put them, a person being in one branch at a time). Born in the former 康定县 (area
# code 513321, Kangding before it became a city in 2015), so their numbers never meet the cadres
# demo's (513301).
MEMBER_AREA = "513321"
MEMBERS_PER_BRANCH = 3
GIVEN = ["扎西", "卓玛", "次仁", "拉姆", "格桑", "央金", "泽仁", "益西", "洛绒"]
TAGS = {K.YOUTH_TALENT: {"is_college_graduate": True}, K.MIGRANT_WORKER: {"is_returning_migrant": True}}


def _member(branch: PartyBranch, n: int) -> None:
    sex = Sex.MALE if n % 2 else Sex.FEMALE
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=(n * 211) % 9000)  # 1970-1994, distinct per n
    number = idnumbers.make_id_number(area=MEMBER_AREA, birth_date=birth, sequence=(n % 400) * 2 + n % 2)
    village = branch.village or branch.township.villages.order_by("code").first()
    person = person_create(
        user=_clerk(branch.township),
        id_number=number,
        name=f"{GIVEN[n % len(GIVEN)]}示{n:03d}",
        sex=sex,
        ethnicity="藏族" if n % 4 else "汉族",
        birth_date=birth,
        education="senior" if branch.kind != K.YOUTH_TALENT else "bachelor",
        phone=f"138{n:08d}",
        home_village=village,
        **TAGS.get(branch.kind, {}),
    )
    full_since = dt.date(birth.year + 25, 7, 1)
    membership_register(
        person=person, branch=branch, joined_on=max(full_since, FOUNDED), full_since=full_since
    )


def _members() -> int:
    """Three full members in each of the demo's functional and joint branches that has none."""
    created = 0
    branches = (
        PartyBranch.objects.exclude(kind=K.VILLAGE).select_related("township", "village").order_by("pk")
    )
    with_members = set(Membership.objects.values_list("branch_id", flat=True).distinct())
    for branch in branches:
        if branch.pk in with_members:
            continue
        for k in range(MEMBERS_PER_BRANCH):
            _member(branch, branch.pk * MEMBERS_PER_BRANCH + k)  # distinct people per branch
            created += 1
    return created


@transaction.atomic
def seed(*, stdout=None) -> None:
    townships = {
        t.code[6:9]: t for t in Township.objects.filter(code__startswith="513301", valid_to__isnull=True)
    }
    if "101" not in townships:
        return  # the villages demo did not run
    created = _functional(townships) + _joint(townships)
    members = _members()
    if stdout:
        total = PartyBranch.objects.exclude(kind=K.VILLAGE).count()
        stdout.write(f"  功能型和联建党组织：新建 {created} 个，共 {total} 个；新登记党员 {members} 名")
