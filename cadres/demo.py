"""Demo cadre data for the 234 Kangding demo villages (idempotent: villages with posts are skipped).

Per village: branch committee, villagers' committee and supervision committee posts (every third
village 一肩挑, every fourth with a cross-appointed organisation member), 两述一评 for 2024 and 2025
(a few cadres 不称职 twice), reserve cadres for 2025 and 2026 (most villages compliant, some with
too few, too many or no returning migrant / wealth-creation expert), and party-member applicants
at every stage in a sample of villages. Names are plainly synthetic; ID numbers are synthetic but
checksum-valid with Kangding's area code 513301.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cadres import idnumbers, services
from cadres import membership as membership_services
from cadres.models import (
    Committee,
    DutyAssignment,
    DutyKind,
    Evaluation,
    Integrity,
    JoinKind,
    Membership,
    Performance,
    Person,
    Position,
    Post,
    ReserveCadre,
    ReserveOutcome,
    ReserveStage,
    Sex,
)
from governance.audit import acting_as
from governance.demo import demo_actor
from villages.models import PartyBranch, Village

AREA = "513301"
CURRENT_YEAR = 2026
# The village elections (换届) of spring 2022: terms run to spring 2027; a few end within 90 days
# of the demo's "today" (late 2026), see _village_posts.
ELECTION = dt.date(2022, 3, 15)
GIVEN = ["扎西", "卓玛", "次仁", "央金", "格桑", "拉姆", "多吉", "泽仁", "降初", "曲珍", "尼玛", "达瓦"]
SECOND = ["示甲", "示乙", "示丙", "示丁", "示戊", "示己", "示庚", "示辛"]
EDUCATIONS = ["junior", "senior", "senior", "college", "bachelor", "junior"]


class _People:
    """Builds unsaved Person rows with unique synthetic ID numbers."""

    def __init__(self, start: int):
        self.n = start
        self.rows: list[Person] = []

    def make(self, village: Village, rng: random.Random, **tags) -> Person:
        self.n += 1
        n = self.n
        sex = Sex.MALE if n % 3 else Sex.FEMALE
        # 37 is coprime to 17000, so distinct n give distinct birth dates (1958-2004): unique numbers.
        birth = dt.date(1958, 1, 1) + dt.timedelta(days=(n * 37) % 17000)
        number = idnumbers.make_id_number(
            area=AREA, birth_date=birth, sequence=(n % 500) * 2 + (1 if sex == Sex.MALE else 0)
        )
        person = Person(
            name=f"{GIVEN[n % len(GIVEN)]}{SECOND[(n // len(GIVEN)) % len(SECOND)]}{n % 100:02d}",
            sex=sex,
            ethnicity="藏族" if n % 4 else "汉族",
            birth_date=birth,
            education=EDUCATIONS[n % len(EDUCATIONS)],
            phone=f"139{n:08d}",
            home_village=village,
            **tags,
        )
        person.set_id_number(number)
        self.rows.append(person)
        return person


def _post(person, village, committee, position, start=ELECTION, term_days=0) -> Post:
    term_end = services.add_months(start, 60) + dt.timedelta(days=term_days)
    return Post(
        person=person,
        village=village,
        committee=committee,
        position=position,
        start_date=start,
        term_end=term_end,
    )


def _village_posts(index: int, village: Village, people: _People, rng: random.Random) -> list[Post]:
    p = lambda **tags: people.make(village, rng, **tags)  # noqa: E731
    # Some villages held their election later; a few terms end within the next 90 days (below).
    start = ELECTION if index % 5 else dt.date(2022, 5, 20)
    secretary, discipline = p(), p()
    posts = [
        _post(secretary, village, Committee.BRANCH, Position.SECRETARY, start),
        _post(discipline, village, Committee.BRANCH, Position.DISCIPLINE_INSPECTION, start),
        # DESIGN §5: the discipline-inspection member chairs the supervision committee.
        _post(discipline, village, Committee.SUPERVISION, Position.SUPERVISION_CHAIR, start),
        _post(p(), village, Committee.SUPERVISION, Position.SUPERVISION_MEMBER, start),
        _post(p(), village, Committee.SUPERVISION, Position.SUPERVISION_MEMBER, start),
    ]
    organisation = p(is_college_graduate=index % 2 == 0)
    posts.append(_post(organisation, village, Committee.BRANCH, Position.ORGANISATION, start))
    posts.append(_post(p(is_veteran=True), village, Committee.BRANCH, Position.PROPAGANDA, start))
    director = secretary if index % 3 == 0 else p(is_wealth_expert=index % 2 == 1)
    posts.append(_post(director, village, Committee.VILLAGERS, Position.DIRECTOR, start))
    posts.append(
        _post(p(is_returning_migrant=True), village, Committee.VILLAGERS, Position.DEPUTY_DIRECTOR, start)
    )
    member = organisation if index % 4 == 1 else p()
    posts.append(_post(member, village, Committee.VILLAGERS, Position.MEMBER, start))
    # An earlier secretary who left, so rosters and exports show ended posts too.
    if index % 6 == 0:
        former = p()
        old = Post(
            person=former,
            village=village,
            committee=Committee.VILLAGERS,
            position=Position.MEMBER,
            start_date=dt.date(2016, 9, 1),
            term_end=dt.date(2021, 9, 1),
            end_date=dt.date(2021, 8, 31),
        )
        posts.append(old)
    if index % 10 == 3:
        # Terms ending within 90 days of the demo's "today" (late November 2026).
        for post in posts:
            if post.end_date is None:
                post.term_end = dt.date(2027, 1, 15)
    return posts


def _evaluations(posts: list[Post], index: int) -> list[Evaluation]:
    seen, rows = set(), []
    for post in posts:
        if post.end_date is not None or post.person_id in seen:
            continue
        seen.add(post.person_id)
        for year in (2024, 2025):
            performance = [
                Performance.EXCELLENT,
                Performance.COMPETENT,
                Performance.COMPETENT,
                Performance.BASIC,
            ][(post.person_id + year) % 4]
            # A few cadres rated 不称职 two years running: the roster flags them.
            if index % 25 == 7 and post.position == Position.MEMBER:
                performance = Performance.INCOMPETENT
            rows.append(
                Evaluation(
                    person_id=post.person_id,
                    village_id=post.village_id,
                    year=year,
                    performance=performance,
                    integrity=[Integrity.GOOD, Integrity.FAIRLY_GOOD, Integrity.GOOD][
                        (post.person_id + year) % 3
                    ],
                    evaluated_on=dt.date(year + 1, 1, 15),
                )
            )
    return rows


def _reserve_plan(index: int, year: int) -> tuple[int, int]:
    """(count, background count) for a village-year: mostly 3-5 with 1-2, some deliberately off."""
    if year == CURRENT_YEAR:
        if index % 17 == 5:
            return 2, 1  # too few
        if index % 23 == 9:
            return 6, 2  # too many
        if index % 19 == 4:
            return 4, 0  # background quota missed
    elif index % 29 == 11:
        return 2, 0
    return 3 + index % 3, 1 + index % 2


def _reserves(index, village, people, rng, mentors) -> list[ReserveCadre]:
    rows = []
    for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
        count, background = _reserve_plan(index, year)
        for k in range(count):
            tags = {}
            if k < background:
                tags = {"is_returning_migrant": True} if k % 2 == 0 else {"is_wealth_expert": True}
            elif k == background:
                tags = {"is_college_graduate": True}
            person = people.make(village, rng, **tags)
            stage = [
                ReserveStage.PAIRED,
                ReserveStage.DECIDED,
                ReserveStage.REVIEWED,
                ReserveStage.RECOMMENDED,
            ][(k + index) % 4 if year == CURRENT_YEAR else 0]
            recommended = dt.date(year, 3, 10)
            reserve = ReserveCadre(
                village=village, plan_year=year, person=person, stage=stage, recommended_on=recommended
            )
            order = [
                ReserveStage.RECOMMENDED,
                ReserveStage.REVIEWED,
                ReserveStage.DECIDED,
                ReserveStage.PAIRED,
            ]
            reached = order.index(stage)
            if reached >= 1:
                reserve.reviewed_on = dt.date(year, 4, 12)
            if reached >= 2:
                reserve.decided_on = dt.date(year, 5, 20)
            if reached >= 3:
                reserve.paired_on, reserve.mentor = dt.date(year, 6, 15), mentors[k % len(mentors)]
            rows.append(reserve)
    return rows


def _withdraw_some(reserves: list[ReserveCadre]) -> None:
    """A few of last year's reserves left (withdrawn, with a reason): withdrawn ones are not counted."""
    for i, reserve in enumerate(reserves):
        if reserve.plan_year == CURRENT_YEAR - 1 and i % 41 == 0:
            reserve.outcome, reserve.withdrawal_reason = ReserveOutcome.WITHDRAWN, "外出务工，本人申请退出"


# (stage reached, admission date, extension months, confirmation date) for the sample applicants.
DEVELOPMENT_PLANS = [
    ("applicant", None, None, None),
    ("activist", None, None, None),
    ("candidate", None, None, None),
    ("probationary", dt.date(2026, 1, 10), None, None),  # on probation
    ("probationary", dt.date(2025, 3, 1), 6, None),  # extended, and now overdue
    ("full_member", dt.date(2025, 3, 1), None, dt.date(2026, 3, 5)),
    ("probationary", dt.date(2024, 9, 1), None, None),  # overdue: no conversion decision
]
ORDER = ["applicant", "activist", "candidate", "probationary", "full_member"]


def _developments(villages: list[Village], people_by_village: dict) -> None:
    """Applicants at every stage, through the services (so every rule is applied)."""
    for i, village in enumerate(villages[::5]):
        stage, admitted, extension, confirmed = DEVELOPMENT_PLANS[i % len(DEVELOPMENT_PLANS)]
        reached = ORDER.index(stage)
        d = services.development_apply(
            person=people_by_village[village.pk],
            village=village,
            applied_on=dt.date(2023, 3, 1),
            talked_on=dt.date(2023, 3, 20),
            tags="5+2+1" if i % 2 else "两推五问三审",
        )
        if reached >= 1:
            services.development_make_activist(development=d, on=dt.date(2023, 6, 1))
        if reached >= 2:
            services.development_make_candidate(development=d, on=dt.date(2024, 7, 1))
        if reached >= 3:
            services.development_admit(development=d, on=admitted, due=20, present=16, yes=15)
        if extension:
            services.development_extend_probation(development=d, on=dt.date(2026, 2, 1), months=extension)
        if confirmed:
            services.development_confirm(development=d, on=confirmed, due=21, present=18, yes=18)


# Party members ([7/10]): every village branch has the 4 committee members (secretary, 组织, 宣传,
# 纪检) plus plain members, 7-15 full members in all, so the committee rule holds, except two
# deliberate, visible exceptions: the 炉城示例01社区 (5 full members with 组织/宣传/纪检 posts)
# and the village below, which a transfer out on 2026-09-01 dropped from 7 to 6 full members.
SMALL_BRANCH_INDEX = 0
TRANSFER_OUT_INDEX = 12
TRANSFER_DAY = dt.date(2026, 9, 1)
DUTY_YEAR = CURRENT_YEAR


def _full_members_planned(index: int) -> int:
    if index == SMALL_BRANCH_INDEX:
        return 5
    if index == TRANSFER_OUT_INDEX:
        return 7
    return 7 + index % 9


def _committee_people(posts: list[Post]) -> list[Person]:
    """The people holding the village's branch-committee posts (party members by office)."""
    seen: dict[int, Person] = {}
    for post in posts:
        if post.committee == Committee.BRANCH and post.end_date is None:
            seen.setdefault(id(post.person), post.person)
    return list(seen.values())


def _member_dates(person: Person) -> tuple[dt.date, dt.date]:
    """(joined this branch, full member since): put on record in 2019, or when 21 if later."""
    of_age = services.add_months(person.birth_date, 12 * 21)
    joined = max(dt.date(2019, 1, 1), of_age)
    return joined, min(joined, of_age)


def _members(villages, posts_by_village, plain_by_village, branches) -> list[Membership]:
    rows = []
    for village in villages:
        branch = branches.get(village.pk)
        if branch is None:
            continue
        people = _committee_people(posts_by_village[village.pk]) + plain_by_village[village.pk]
        for person in people:
            joined, full_since = _member_dates(person)
            rows.append(
                Membership(
                    person_id=person.pk,
                    branch=branch,
                    joined_on=joined,
                    joined_how=JoinKind.REGISTERED,
                    full_since=full_since,
                )
            )
    return rows


def _duties(memberships: list[Membership], plain_ids: set[int]) -> list[DutyAssignment]:
    """This year's duty posts for members without an office; every fifth one still without."""
    membership_services.ensure_default_duty_kinds()
    kinds = list(DutyKind.objects.filter(active=True).order_by("order", "name"))
    rows = []
    for i, membership in enumerate(m for m in memberships if m.person_id in plain_ids):
        if i % 5 == 4:
            continue
        kind = kinds[i % len(kinds)]
        rows.append(
            DutyAssignment(
                membership_id=membership.pk,
                kind=kind,
                year=DUTY_YEAR,
                assigned_on=dt.date(DUTY_YEAR, 3, 1),
                note=f"{kind.description or kind.name}，每季度向支部汇报一次。",
            )
        )
    return rows


@transaction.atomic
def seed(*, stdout=None) -> None:
    actor = demo_actor()
    villages = list(
        Village.objects.filter(code__startswith="513301", valid_to__isnull=True)
        .exclude(cadre_posts__isnull=False)
        .order_by("code")
    )
    if not villages:
        if stdout:
            stdout.write("  干部：已有数据，跳过")
        seed_first_secretaries(stdout=stdout)
        return
    all_codes = list(
        Village.objects.filter(code__startswith="513301", valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    rng = random.Random(3512)
    people = _People(start=Person.objects.count() + 1000)
    posts_by_village, applicants, plain_by_village = {}, {}, {}
    for village in villages:
        index = all_codes.index(village.code)
        posts_by_village[village.pk] = _village_posts(index, village, people, rng)
        applicants[village.pk] = people.make(village, rng)
        committee = len(_committee_people(posts_by_village[village.pk]))
        plain_by_village[village.pk] = [
            people.make(village, rng) for _ in range(max(0, _full_members_planned(index) - committee))
        ]
    reserves = []
    for village in villages:
        index = all_codes.index(village.code)
        mentors = [post.person for post in posts_by_village[village.pk] if post.end_date is None][:3]
        reserves.extend(_reserves(index, village, people, rng, mentors))
    # People first (history rows too), then everything that points at them.
    bulk_create_with_history(people.rows, Person, default_user=actor)
    posts = [post for village_posts in posts_by_village.values() for post in village_posts]
    for post in posts:
        post.person_id = post.person.pk
    bulk_create_with_history(posts, Post, default_user=actor)
    evaluations = []
    for village in villages:
        evaluations.extend(_evaluations(posts_by_village[village.pk], all_codes.index(village.code)))
    bulk_create_with_history(evaluations, Evaluation, default_user=actor)
    for reserve in reserves:
        reserve.person_id = reserve.person.pk
        reserve.mentor_id = reserve.mentor.pk if reserve.mentor else None
    _withdraw_some(reserves)
    bulk_create_with_history(reserves, ReserveCadre, default_user=actor)
    branches = {
        branch.village_id: branch
        for branch in PartyBranch.objects.filter(kind=PartyBranch.Kind.VILLAGE, village__in=villages)
    }
    memberships = _members(villages, posts_by_village, plain_by_village, branches)
    bulk_create_with_history(memberships, Membership, default_user=actor)
    plain_ids = {person.pk for plain in plain_by_village.values() for person in plain}
    bulk_create_with_history(_duties(memberships, plain_ids), DutyAssignment, default_user=actor)
    with acting_as(actor):
        # Probationary members come in through the development flow (development_admit).
        _developments(villages, applicants)
        _transfer_out(villages, all_codes, plain_by_village, branches)
    if stdout:
        stdout.write(
            f"  干部：{len(people.rows)} 人，{len(memberships)} 名党员，{len(posts)} 条任职，"
            f"{len(evaluations)} 条两述一评，"
            f"{len(reserves)} 名后备干部"
        )
    seed_first_secretaries(stdout=stdout)


def _transfer_out(villages, all_codes, plain_by_village, branches) -> None:
    """The deliberate exception: one plain member of a 7-member branch moved to the next village's
    branch, so the branch has 6 full members and a committee it may no longer have (flagged)."""
    by_index = {all_codes.index(village.code): village for village in villages}
    source, target = by_index.get(TRANSFER_OUT_INDEX), by_index.get(TRANSFER_OUT_INDEX + 1)
    if source is None or target is None or not plain_by_village[source.pk]:
        return
    moving = Membership.objects.get(person_id=plain_by_village[source.pk][0].pk, left_on__isnull=True)
    membership_services.membership_transfer(
        membership=moving, to_branch=branches[target.pk], on=TRANSFER_DAY, note="外出务工，组织关系随迁"
    )


# ---------------------------------------------------------------- 驻村第一书记 ([9/10])

# Plainly synthetic sending units, county bureaus and prefecture (州级) units.
SENDING_UNITS = [
    "县委组织部",
    "县农牧农村和科技局",
    "县自然资源局",
    "县教育和体育局",
    "县卫生健康局",
    "县交通运输局",
    "县财政局",
    "州级单位（州委宣传部）",
    "州级单位（州林业和草原局）",
    "州级单位（州发展和改革委员会）",
]
FIRST_SECRETARY_SINCE = [dt.date(2024, 7, 1), dt.date(2025, 3, 1), dt.date(2025, 9, 1)]
PREVIOUS_TERM = (dt.date(2021, 7, 1), dt.date(2024, 6, 30))


def stationed_demo_index(index: int) -> bool:
    """Three villages in five (60%) have a first secretary: indexes 0, 1, 2 modulo 5."""
    return index % 5 < 3


@transaction.atomic
def seed_first_secretaries(*, stdout=None) -> None:
    """About 60% of Kangding's villages with a first secretary today, each a new synthetic person
    living in a village of another township (so holding no post and no membership where stationed);
    every fourth of them with a predecessor who left in 2024. Villages with a stationing are skipped."""
    from cadres.models import Stationing

    actor = demo_actor()
    villages = list(
        Village.objects.filter(code__startswith="513301", valid_to__isnull=True)
        .select_related("township")
        .order_by("code")
    )
    taken = set(Stationing.objects.values_list("village_id", flat=True))
    rng = random.Random(9)
    people = _People(start=Person.objects.count() + 1000)
    rows: list[Stationing] = []
    for index, village in enumerate(villages):
        if village.pk in taken or not stationed_demo_index(index):
            continue
        # A home in another township, well away from the stationed village.
        home = next(
            candidate
            for step in range(len(villages) // 2, len(villages))
            if (candidate := villages[(index + step) % len(villages)]).township_id != village.township_id
        )
        since = FIRST_SECRETARY_SINCE[index % len(FIRST_SECRETARY_SINCE)]
        if index % 4 == 0:
            before = people.make(home, rng)
            rows.append(
                Stationing(
                    person=before,
                    village=village,
                    sending_unit=SENDING_UNITS[(index + 3) % len(SENDING_UNITS)],
                    start_date=PREVIOUS_TERM[0],
                    end_date=PREVIOUS_TERM[1],
                )
            )
        rows.append(
            Stationing(
                person=people.make(home, rng),
                village=village,
                sending_unit=SENDING_UNITS[index % len(SENDING_UNITS)],
                start_date=since,
            )
        )
    if not rows:
        return
    bulk_create_with_history(people.rows, Person, default_user=actor)
    for row in rows:
        row.person_id = row.person.pk
    bulk_create_with_history(rows, Stationing, default_user=actor)
    if stdout:
        current = sum(1 for row in rows if row.end_date is None)
        stdout.write(f"  驻村第一书记：{current} 个村在任，{len(rows) - current} 条离任记录")
