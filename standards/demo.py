"""Demo data for 六个标准化 (idempotent): 18 example rules (3 per area) for the demo county, adoptions
by most villages (some with notes), and reviews of most village branches for this year and last
year in mixed states. Choices are derived from the village code, so a rerun adds nothing."""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction
from django.utils import timezone

from governance.demo import DEMO_TOWNSHIP2_CODE, DEMO_TOWNSHIP_CODE, demo_actor
from governance.integrity import save_checked
from standards.models import NOTE_FIELDS, SCORE_FIELDS, Adoption, Area, Review, Rule
from villages.models import County, PartyBranch, Village

DEMO_COUNTY_CODE = "513301000000"

EXAMPLE_RULES = {
    Area.OPERATION: [
        ("ZZYX-01", "支部委员会每月至少召开一次会议（示例）"),
        ("ZZYX-02", "重大事项按“四议两公开”程序决策（示例）"),
        ("ZZYX-03", "支部书记每年向党员大会报告工作（示例）"),
    ],
    Area.FACILITIES: [
        ("ZDJS-01", "有固定的党员活动室并悬挂党旗（示例）"),
        ("ZDJS-02", "村务公开栏按季度更新（示例）"),
        ("ZDJS-03", "便民服务室有专人值守（示例）"),
    ],
    Area.LIFE: [
        ("ZZSH-01", "每月开展一次主题党日活动（示例）"),
        ("ZZSH-02", "每季度至少上一次党课（示例）"),
        ("ZZSH-03", "每年召开一次组织生活会并开展民主评议党员（示例）"),
    ],
    Area.EXCELLENCE: [
        ("CXZY-01", "党员设岗定责并公开承诺（示例）"),
        ("CXZY-02", "每年评选表彰优秀党员（示例）"),
        ("CXZY-03", "党员联系服务群众户（示例）"),
    ],
    Area.RECORDS: [
        ("NYGF-01", "会议记录统一使用规范记录本（示例）"),
        ("NYGF-02", "党费收缴台账按月登记（示例）"),
        ("NYGF-03", "党员档案一人一档（示例）"),
    ],
    Area.ASSESSMENT: [
        ("KHWX-01", "年初制定工作目标，年底对照考核（示例）"),
        ("KHWX-02", "考核结果在村务公开栏公示（示例）"),
        ("KHWX-03", "考核结果与村干部报酬挂钩（示例）"),
    ],
}

NOTES = ["制度已上墙，见活动室照片。", "会议记录本第3页。", "", "支部委员会会议通过。"]
ASSESSORS = ["乡镇党委组织委员", "乡镇党建办", "驻村第一书记"]


def _pick(text: str, modulo: int) -> int:
    """A stable pseudo-random number from ``text`` (the same on every run and machine)."""
    return zlib.crc32(text.encode()) % modulo


def _rules(county, user) -> list[Rule]:
    existing = set(Rule.objects.filter(county=county).values_list("code", flat=True))
    for area, rules in EXAMPLE_RULES.items():
        for code, title in rules:
            if code in existing:
                continue
            rule = Rule(county=county, area=area, code=code, title=title, is_example=True)
            rule._history_user = user
            save_checked(rule)
    return list(Rule.objects.filter(county=county, retired_on__isnull=True).order_by("code"))


def _adoptions(villages, rules, user, today) -> int:
    taken = set(Adoption.objects.filter(village__in=villages).values_list("village_id", "rule_id"))
    created = 0
    for village in villages:
        seed = _pick(village.code, 100)
        if seed < 12:  # about one village in eight has not started
            continue
        count = 6 + seed % (len(rules) - 5)  # 6..18 rules
        for n, rule in enumerate(rules):
            if _pick(f"{village.code}{rule.code}", len(rules)) >= count or (village.pk, rule.pk) in taken:
                continue
            adoption = Adoption(
                village=village,
                rule=rule,
                adopted_on=today - dt.timedelta(days=30 + (seed * 7 + n * 11) % 600),
                note=NOTES[(seed + n) % len(NOTES)] or "采纳情况已在支部委员会会议上通报。",
                recorded_by=user,
            )
            adoption._history_user = user
            save_checked(adoption)
            created += 1
    return created


def _review(branch, year, state, user, now) -> Review:
    seed = _pick(f"{branch.public_id}{year}", 10_000)
    review = Review(branch=branch, year=year, created_by=user, assessor=ASSESSORS[seed % len(ASSESSORS)])
    for k, area in enumerate(Area):
        score = 60 + (seed // (k + 1)) % 38 + (3 if year == now.year else 0)
        setattr(review, SCORE_FIELDS[area], min(score, 100))
        setattr(review, NOTE_FIELDS[area], f"{area.label}：对照规范目录逐项检查，台账齐全。")
    review.total = review.mean_score()
    review.state = state
    if state != Review.State.DRAFT:
        review.submitted_at = now
    if state == Review.State.CONFIRMED:
        review.confirmed_at, review.confirmed_by = now, user
    if state == Review.State.RETURNED:
        review.return_reason = "组织生活领域缺少主题党日活动记录，请补充佐证后重新提交。"
    review._history_user = user
    return save_checked(review)


def _reviews(branches, user, now) -> int:
    years = (now.year - 1, now.year)
    existing = set(
        Review.objects.filter(branch__in=branches, year__in=years).values_list("branch_id", "year")
    )
    states_now = [Review.State.CONFIRMED, Review.State.SUBMITTED, Review.State.DRAFT, Review.State.RETURNED]
    created = 0
    for branch in branches:
        seed = _pick(str(branch.village.code if branch.village else branch.name), 100)
        if seed < 10:  # a few branches without reviews
            continue
        for year in years:
            if (branch.pk, year) in existing:
                continue
            if year < now.year:
                state = Review.State.CONFIRMED if seed % 7 else Review.State.SUBMITTED
            else:
                state = states_now[seed % len(states_now)]
            # The demo townships keep submitted reviews for the county to confirm.
            if year == now.year and branch.township.code in (DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE):
                state = [Review.State.SUBMITTED, Review.State.CONFIRMED, Review.State.DRAFT][seed % 3]
            _review(branch, year, state, user, now)
            created += 1
    return created


@transaction.atomic
def seed(*, stdout=None) -> None:
    county = County.objects.filter(code=DEMO_COUNTY_CODE).first()
    if county is None:
        return
    user = demo_actor()
    now = timezone.now()
    rules = _rules(county, user)
    villages = list(
        Village.objects.filter(township__county=county, valid_to__isnull=True).select_related("township")
    )
    adoptions = _adoptions(villages, rules, user, timezone.localdate())
    branches = list(
        PartyBranch.objects.filter(
            kind=PartyBranch.Kind.VILLAGE,
            township__county=county,
            end_date__isnull=True,
            village__valid_to__isnull=True,
        ).select_related("village", "township")
    )
    reviews = _reviews(branches, user, now)
    if stdout is not None:
        stdout.write(f"六个标准化：{len(rules)} 条规范，新建 {adoptions} 条采纳记录，{reviews} 份考评。")
