"""Kangding City (513301) demo hierarchy: DESIGN §2's townships and 234 plainly synthetic villages."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from villages.models import County, Township, Village
from villages.services import village_create

KANGDING_CODE = "513301000000"
# Before the portal's records begin; the real founding dates are not part of the demo.
EARLY = dt.date(2000, 1, 1)
MERGER = dt.date(2020, 6, 30)

# (code suffix, name, valid_from); units that exist since the 2020 merger start then.
CURRENT_TOWNSHIPS = [
    ("001", "炉城街道", EARLY),
    ("002", "榆林街道", EARLY),
    ("101", "姑咱镇", EARLY),
    ("102", "新都桥镇", EARLY),
    ("103", "塔公镇", EARLY),
    ("104", "沙德镇", EARLY),
    ("105", "金汤镇", EARLY),
    ("106", "甲根坝镇", MERGER),
    ("107", "贡嘎山镇", MERGER),
    ("108", "鱼通镇", MERGER),
    ("201", "雅拉乡", EARLY),
    ("205", "麦崩乡", EARLY),
    ("208", "捧塔乡", EARLY),
    ("211", "普沙绒乡", EARLY),
    ("212", "吉居乡", EARLY),
    ("214", "呷巴乡", EARLY),
    ("218", "孔玉乡", EARLY),
]
ENDED_TOWNSHIPS = [
    ("202", "时济乡"),
    ("206", "三合乡"),
    ("210", "贡嘎山乡"),
    ("213", "瓦泽乡"),
    ("215", "甲根坝乡"),
    ("216", "朋布西乡"),
    ("219", "鱼通乡"),
]
VILLAGE_TOTAL = 234
COMMUNITIES_PER_SUBDISTRICT = 4


def _kind(name: str) -> str:
    if name.endswith("街道"):
        return Township.Kind.SUBDISTRICT
    return Township.Kind.TOWN if name.endswith("镇") else Township.Kind.TOWNSHIP


def _short(name: str) -> str:
    return name.removesuffix("街道").removesuffix("镇").removesuffix("乡")


def village_specs():
    """(township suffix, village code, name, kind) for all 234 demo villages, deterministic."""
    per_township, extra = divmod(VILLAGE_TOTAL, len(CURRENT_TOWNSHIPS))
    for index, (suffix, name, _) in enumerate(CURRENT_TOWNSHIPS):
        count = per_township + (1 if index < extra else 0)
        communities = COMMUNITIES_PER_SUBDISTRICT if name.endswith("街道") else 0
        for n in range(1, count + 1):
            if n <= communities:
                yield (
                    suffix,
                    f"513301{suffix}{n:03d}",
                    f"{_short(name)}示例{n:02d}社区",
                    Village.Kind.COMMUNITY,
                )
            else:
                yield (
                    suffix,
                    f"513301{suffix}{200 + n:03d}",
                    f"{_short(name)}示例{n:02d}村",
                    Village.Kind.VILLAGE,
                )


@transaction.atomic
def seed(*, stdout=None) -> None:
    county, _ = County.objects.get_or_create(
        code=KANGDING_CODE, defaults={"name": "康定市", "name_bo": "དར་རྩེ་མདོ་གྲོང་ཁྱེར།", "valid_from": EARLY}
    )
    townships = {}
    for suffix, name, valid_from in CURRENT_TOWNSHIPS:
        townships[suffix], _ = Township.objects.get_or_create(
            code=f"513301{suffix}000",
            defaults={"county": county, "name": name, "kind": _kind(name), "valid_from": valid_from},
        )
    for suffix, name in ENDED_TOWNSHIPS:
        Township.objects.get_or_create(
            code=f"513301{suffix}000",
            defaults={
                "county": county,
                "name": name,
                "kind": _kind(name),
                "valid_from": EARLY,
                "valid_to": MERGER - dt.timedelta(days=1),
            },
        )
    existing = set(Village.objects.filter(township__county=county).values_list("code", flat=True))
    created = 0
    for suffix, code, name, kind in village_specs():
        if code in existing:
            continue
        # Members are records in cadres (its demo gives each branch its members).
        village_create(
            township=townships[suffix],
            code=code,
            name=name,
            kind=kind,
            valid_from=EARLY,
        )
        created += 1
    if stdout:
        total = Village.objects.filter(township__county=county).count()
        stdout.write(f"  村（社区）：新建 {created} 个，共 {total} 个")
