"""Party membership, duty posts and the committee rules ([7/10], DESIGN §3 and §5).

Reads (``branch_member_counts``, ``annotate_branch_rules``, ``branch_rule_issues``) are re-exported
by ``cadres.selectors``; writes (``membership_*``, ``duty_*``) are services in the house style:
keyword-only, atomic, ``save_checked``, one Chinese message per rule (tests assert them exactly).

Counting convention: a membership counts from ``joined_on`` (inclusive) to ``left_on`` (exclusive).
A transfer on day D closes the old membership with ``left_on = D`` and opens the new one with
``joined_on = D``: before D the person counts in the old branch, from D on in the new one.

The committee rules (DESIGN §3, §5) live in ``committee_rule_check`` (used by
``cadres.services.post_create`` before a post is created) and ``annotate_branch_rules`` (the same
numbers in SQL, for flags on pages and lists once membership changes break them).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cadres.models import (
    COMMITTEE_MAX_POSTS,
    COMMITTEE_MIN_FULL_MEMBERS,
    COMMITTEE_MIN_POSTS,
    SUPERVISION_MAX_MEMBERS,
    SUPERVISION_MIN_MEMBERS,
    Committee,
    Development,
    DutyAssignment,
    DutyKind,
    JoinKind,
    LeaveKind,
    Membership,
    Person,
    Position,
    Post,
    active_on_q,
    full_on_q,
    membership_on_q,
)
from governance.integrity import save_checked
from governance.scoping import jurisdiction_q, scope
from governance.versioning import lock_for_update

# ---------------------------------------------------------------- messages

# Committee rules (post_create and the flags)
RULE_COMMITTEE_NEEDS_SEVEN = gettext_lazy(
    "%(branch)s在%(date)s有正式党员%(full)s名，不足7名，只设书记，不能设%(position)s。"
)
RULE_COMMITTEE_FULL = gettext_lazy("%(branch)s支部委员会已有%(count)s人，最多5人。")
RULE_SUPERVISION_FULL = gettext_lazy("%(village)s村务监督委员会已有%(count)s人，最多5人。")
RULE_CHAIR_NOT_DISCIPLINE = gettext_lazy(
    "村务监督委员会主任须由本村党支部现任纪检委员担任，%(name)s在%(date)s不是纪检委员。"
)
ISSUE_COMMITTEE_TOO_SMALL = gettext_lazy(
    "正式党员%(full)s名（7名及以上），应设3-5人的支部委员会，现有%(count)s人。"
)
ISSUE_COMMITTEE_TOO_LARGE = gettext_lazy("支部委员会现有%(count)s人，超过5人。")
ISSUE_SECRETARY_ONLY = gettext_lazy("正式党员仅%(full)s名（不足7名），只设书记，但现设有%(positions)s。")
ISSUE_SUPERVISION_SIZE = gettext_lazy("村务监督委员会现有%(count)s人，应为3-5人。")
ISSUE_CHAIR_NOT_DISCIPLINE = gettext_lazy("村务监督委员会主任%(name)s不是本村党支部现任纪检委员。")

# Membership
MEMBER_ALREADY_IN_BRANCH = gettext_lazy("%(name)s已是%(branch)s的党员（%(since)s起），请先办理转出。")
MEMBER_NOT_OPEN = gettext_lazy("该组织关系已于%(date)s结束。")
MEMBER_FULL_SINCE_REQUIRED = gettext_lazy("登记正式党员须填写转为正式党员日期。")
MEMBER_FULL_SINCE_FUTURE = gettext_lazy("转为正式党员日期不能晚于转入（登记）日期。")
MEMBER_TRANSFER_BEFORE_JOINED = gettext_lazy("转出日期不能早于该党员加入本支部的日期（%(joined)s）。")
MEMBER_TRANSFER_SAME_BRANCH = gettext_lazy("转入的党组织不能是原党组织。")
MEMBER_TRANSFER_CLOSED_BRANCH = gettext_lazy("%(branch)s已于%(date)s撤销，不能转入。")
MEMBER_LEAVE_KIND = gettext_lazy("请选择离开方式（转出、去世或其他）。")
MEMBER_LEAVE_PLACE = gettext_lazy("请填写转往何处或离开原因。")
MEMBER_FROM_PLACE = gettext_lazy("请填写从何处转入。")
DEV_ADMIT_ALREADY_MEMBER = gettext_lazy("%(name)s已是%(branch)s的正式党员，不能再接收为预备党员。")
DEV_ADMIT_NO_BRANCH = gettext_lazy("%(village)s没有村党支部，不能接收预备党员。")
DEV_CONFIRM_NO_MEMBERSHIP = gettext_lazy(
    "%(name)s没有在册的组织关系（预备党员），不能转正。请先核对组织关系。"
)

# Duty posts
DUTY_HOLDS_OFFICE = gettext_lazy("%(name)s现任%(post)s，设岗定责面向无职党员。")
DUTY_NOT_MEMBER_ON = gettext_lazy("设岗日期%(date)s该人员不在本支部。")
DUTY_KIND_INACTIVE = gettext_lazy("岗位“%(kind)s”已停用。")
DUTY_WRONG_YEAR = gettext_lazy("设岗日期应在所设年度（%(year)s年）内。")

# Seeded duty kinds (DESIGN: a configurable list; these are the defaults).
DEFAULT_DUTY_KINDS = [
    ("政策宣传岗", "宣传党的政策和惠民政策"),
    ("环境监督岗", "监督村容村貌和生态环境"),
    ("矛盾调解岗", "参与邻里纠纷调解"),
    ("民情收集岗", "收集群众意见建议"),
]


def _error(message, field: str | None = None, **params) -> ValidationError:
    text = str(message) % params if params else str(message)
    return ValidationError({field: text}) if field else ValidationError(text)


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


# ---------------------------------------------------------------- reads: counts and rules


def branch_member_counts(branch_ids, *, on: dt.date | None = None) -> dict[int, tuple[int, int]]:
    """Branch pk → (full, probationary) members on ``on`` (default today), in one query; branches
    without members (or not found) answer (0, 0)."""
    day = _today(on)
    ids = list(branch_ids)
    counts = {pk: (0, 0) for pk in ids}
    rows = (
        Membership.objects.filter(membership_on_q(day), branch_id__in=ids)
        .order_by()
        .values("branch_id")
        .annotate(total=Count("pk"), full=Count("pk", filter=full_on_q(day)))
    )
    for row in rows:
        counts[row["branch_id"]] = (row["full"], row["total"] - row["full"])
    return counts


def _count(queryset, ref: str):
    counted = queryset.order_by().values(ref).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _village_posts(day: dt.date, **filters):
    return Post.objects.filter(active_on_q(day), village=OuterRef("village"), **filters)


def _chair_not_discipline(day: dt.date) -> Exists:
    """The village's supervision chair on ``day`` does not hold the branch's 纪检委员 post that day."""
    discipline = Post.objects.filter(
        active_on_q(day),
        village=OuterRef("village"),
        person=OuterRef("person"),
        position=Position.DISCIPLINE_INSPECTION,
    )
    return Exists(_village_posts(day, position=Position.SUPERVISION_CHAIR).filter(~Exists(discipline)))


def annotate_branch_rules(queryset: QuerySet, *, on: dt.date | None = None) -> QuerySet:
    """``queryset`` of PartyBranch with, in SQL (filterable and paginable):

    - ``full_member_count``, ``probationary_member_count``: members on ``on`` (default today);
    - ``committee_post_count``: the village's branch-committee posts held that day (secretary
      included), ``committee_extra_count`` the ones other than the secretary;
    - ``supervision_member_count``: the village's supervision-committee posts held that day;
    - ``committee_ok``: 7+ full members and 3-5 committee posts, or fewer than 7 and no post but the
      secretary (DESIGN §3); ``supervision_ok``: 3-5 members and the chair is the branch's current
      纪检委员 (DESIGN §5); ``rules_ok``: both.

    Posts belong to villages, so committee rules apply to village branches; other kinds are ok.
    """
    day = _today(on)
    village_branch = Q(kind="village")
    members = Membership.objects.filter(membership_on_q(day), branch=OuterRef("pk"))
    zero = Value(0)
    queryset = queryset.annotate(
        full_member_count=_count(members.filter(full_on_q(day)), "branch"),
        probationary_member_count=_count(members.exclude(full_on_q(day)), "branch"),
        committee_post_count=Case(
            When(village_branch, then=_count(_village_posts(day, committee=Committee.BRANCH), "village")),
            default=zero,
            output_field=IntegerField(),
        ),
        committee_extra_count=Case(
            When(
                village_branch,
                then=_count(
                    _village_posts(day, committee=Committee.BRANCH).exclude(position=Position.SECRETARY),
                    "village",
                ),
            ),
            default=zero,
            output_field=IntegerField(),
        ),
        supervision_member_count=Case(
            When(
                village_branch, then=_count(_village_posts(day, committee=Committee.SUPERVISION), "village")
            ),
            default=zero,
            output_field=IntegerField(),
        ),
        supervision_chair_mismatch=Case(
            When(village_branch, then=_chair_not_discipline(day)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    queryset = queryset.annotate(
        committee_ok=Case(
            When(~village_branch, then=Value(True)),
            When(
                full_member_count__gte=COMMITTEE_MIN_FULL_MEMBERS,
                committee_post_count__gte=COMMITTEE_MIN_POSTS,
                committee_post_count__lte=COMMITTEE_MAX_POSTS,
                then=Value(True),
            ),
            When(full_member_count__lt=COMMITTEE_MIN_FULL_MEMBERS, committee_extra_count=0, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        supervision_ok=Case(
            When(~village_branch, then=Value(True)),
            When(
                supervision_member_count__gte=SUPERVISION_MIN_MEMBERS,
                supervision_member_count__lte=SUPERVISION_MAX_MEMBERS,
                supervision_chair_mismatch=False,
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    return queryset.annotate(
        rules_ok=Case(
            When(committee_ok=True, supervision_ok=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def issues_for_row(row, *, on: dt.date | None = None) -> list[str]:
    """Translated messages for one branch already annotated by ``annotate_branch_rules`` (at most
    two more queries, only when something is wrong)."""
    day = _today(on)
    issues: list[str] = []
    if row.kind != "village":
        return issues
    full, count = row.full_member_count, row.committee_post_count
    if full >= COMMITTEE_MIN_FULL_MEMBERS:
        if count < COMMITTEE_MIN_POSTS:
            issues.append(str(ISSUE_COMMITTEE_TOO_SMALL) % {"full": full, "count": count})
        elif count > COMMITTEE_MAX_POSTS:
            issues.append(str(ISSUE_COMMITTEE_TOO_LARGE) % {"count": count})
    elif row.committee_extra_count:
        extra = (
            Post.objects.filter(active_on_q(day), village_id=row.village_id, committee=Committee.BRANCH)
            .exclude(position=Position.SECRETARY)
            .order_by("position")
        )
        # In protocol order (organisation before propaganda before discipline inspection).
        rank = {value: i for i, value in enumerate(Position.values)}
        ordered = sorted(extra, key=lambda post: rank[post.position])
        labels = list(dict.fromkeys(str(post.get_position_display()) for post in ordered))
        issues.append(str(ISSUE_SECRETARY_ONLY) % {"full": full, "positions": "、".join(labels)})
    supervision = row.supervision_member_count
    if not SUPERVISION_MIN_MEMBERS <= supervision <= SUPERVISION_MAX_MEMBERS:
        issues.append(str(ISSUE_SUPERVISION_SIZE) % {"count": supervision})
    if row.supervision_chair_mismatch:
        chair = (
            Post.objects.filter(
                active_on_q(day), village_id=row.village_id, position=Position.SUPERVISION_CHAIR
            )
            .select_related("person")
            .first()
        )
        issues.append(str(ISSUE_CHAIR_NOT_DISCIPLINE) % {"name": chair.person.name if chair else "—"})
    return issues


def branch_rule_issues(branch, *, on: dt.date | None = None) -> list[str]:
    """Translated messages for one branch page; an empty list when the branch is compliant."""
    from villages.models import PartyBranch

    row = annotate_branch_rules(PartyBranch.objects.filter(pk=branch.pk), on=on).first()
    if row is None or row.rules_ok:
        return []
    return issues_for_row(row, on=on)


def village_rule_issues(*, village, on: dt.date | None = None) -> list[str]:
    """``branch_rule_issues`` of the village's own branch (none without one)."""
    from villages.models import PartyBranch

    row = annotate_branch_rules(
        PartyBranch.objects.filter(village=village, kind=PartyBranch.Kind.VILLAGE), on=on
    ).first()
    if row is None or row.rules_ok:
        return []
    return issues_for_row(row, on=on)


def village_branch(village):
    """The village's own branch (kind 村党支部), or None."""
    from villages.models import PartyBranch

    return PartyBranch.objects.filter(village=village, kind=PartyBranch.Kind.VILLAGE).first()


def full_members_on(branch, day: dt.date) -> int:
    return branch_member_counts([branch.pk], on=day)[branch.pk][0]


def memberships_visible_to(user) -> QuerySet[Membership]:
    """Memberships in branches of the user's jurisdiction (the owner township of the branch)."""
    return scope(
        Membership.objects.select_related(
            "person", "branch__township", "branch__village", "from_branch", "to_branch", "development"
        ),
        user,
        township_path="branch__township",
    )


def with_person_visible(queryset: QuerySet[Membership], user) -> QuerySet[Membership]:
    """Memberships with ``person_visible``: whether ``user`` may open the person's page (a member
    who moved in from another township lives outside the branch township's jurisdiction)."""
    condition = jurisdiction_q(user, township_path="person__home_village__township")
    if not condition:
        return queryset.annotate(person_visible=Value(True, output_field=BooleanField()))
    return queryset.annotate(
        person_visible=Case(
            When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def duties_visible_to(user) -> QuerySet[DutyAssignment]:
    return scope(
        DutyAssignment.objects.select_related("kind", "membership__person", "membership__branch__township"),
        user,
        township_path="membership__branch__township",
    )


def office_on(person: Person, day: dt.date) -> Post | None:
    """The person's current two-committee post (branch or villagers' committee) on ``day``, if any."""
    return (
        Post.objects.filter(
            active_on_q(day), person=person, committee__in=[Committee.BRANCH, Committee.VILLAGERS]
        )
        .select_related("village")
        .order_by("start_date", "pk")
        .first()
    )


def without_office_q(day: dt.date, prefix: str = "") -> Q:
    """Memberships whose person holds no two-committee post on ``day``."""
    offices = Post.objects.filter(
        active_on_q(day),
        person=OuterRef(f"{prefix}person"),
        committee__in=[Committee.BRANCH, Committee.VILLAGERS],
    )
    return ~Q(Exists(offices))


# ---------------------------------------------------------------- committee rules for post_create


def committee_rule_check(
    *, village, committee: str, position: str, person: Person, start_date: dt.date
) -> None:
    """DESIGN §3/§5 for a new open-ended post starting ``start_date``: branch-committee posts other
    than the secretary only when the village branch has 7+ full members that day; at most 5
    branch-committee posts and at most 5 supervision-committee members overlapping it; the
    supervision chair is the branch's 纪检委员 on that day. Raises ValidationError on ``position``."""
    label = Post(position=position).get_position_display()
    overlapping = Post.objects.filter(village=village, committee=committee).exclude(end_date__lt=start_date)
    if committee == Committee.BRANCH:
        branch = village_branch(village)
        if position != Position.SECRETARY:
            full = full_members_on(branch, start_date) if branch else 0
            if full < COMMITTEE_MIN_FULL_MEMBERS:
                raise _error(
                    RULE_COMMITTEE_NEEDS_SEVEN,
                    "position",
                    branch=branch.name if branch else village.name,
                    date=start_date.isoformat(),
                    full=full,
                    position=label,
                )
        count = overlapping.count()
        if count >= COMMITTEE_MAX_POSTS:
            raise _error(
                RULE_COMMITTEE_FULL, "position", branch=branch.name if branch else village.name, count=count
            )
    elif committee == Committee.SUPERVISION:
        count = overlapping.count()
        if count >= SUPERVISION_MAX_MEMBERS:
            raise _error(RULE_SUPERVISION_FULL, "position", village=village.name, count=count)
        if position == Position.SUPERVISION_CHAIR:
            discipline = Post.objects.filter(
                active_on_q(start_date),
                village=village,
                person=person,
                position=Position.DISCIPLINE_INSPECTION,
            )
            if not discipline.exists():
                raise _error(
                    RULE_CHAIR_NOT_DISCIPLINE, "position", name=person.name, date=start_date.isoformat()
                )


# ---------------------------------------------------------------- membership services


def _open_membership(person: Person, *, lock: bool = False) -> Membership | None:
    rows = Membership.objects.filter(person=person, left_on__isnull=True).select_related("branch")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.first()


def _refuse_if_open(person: Person) -> None:
    current = _open_membership(person)
    if current is not None:
        raise _error(
            MEMBER_ALREADY_IN_BRANCH,
            "person",
            name=person.name,
            branch=current.branch.name,
            since=current.joined_on.isoformat(),
        )


def _check_branch_open(branch, day: dt.date, field: str) -> None:
    if branch.end_date is not None and branch.end_date < day:
        raise _error(
            MEMBER_TRANSFER_CLOSED_BRANCH, field, branch=branch.name, date=branch.end_date.isoformat()
        )


@transaction.atomic
def membership_register(
    *,
    person: Person,
    branch,
    joined_on: dt.date,
    full_since: dt.date,
    joined_how: str = JoinKind.REGISTERED,
    from_place: str = "",
    note: str = "",
) -> Membership:
    """Record a full member joining ``branch``: an existing member put on record (建档登记) or one
    transferred in from outside the county (转入, with where from). Probationary members enter only
    through the development flow (``development_admit``), which is the one place probation starts."""
    if full_since is None:
        raise _error(MEMBER_FULL_SINCE_REQUIRED, "full_since")
    if full_since > joined_on:
        raise _error(MEMBER_FULL_SINCE_FUTURE, "full_since")
    if joined_how == JoinKind.TRANSFER_IN and not from_place.strip():
        raise _error(MEMBER_FROM_PLACE, "from_place")
    _check_branch_open(branch, joined_on, "branch")
    _refuse_if_open(person)
    membership = Membership(
        person=person,
        branch=branch,
        joined_on=joined_on,
        joined_how=joined_how,
        from_place=from_place.strip(),
        full_since=full_since,
        note=note,
    )
    save_checked(membership, recheck=lambda: _refuse_if_open(person))
    return membership


@transaction.atomic
def membership_transfer(*, membership: Membership, to_branch, on: dt.date, note: str = "") -> Membership:
    """转出 from one branch and 转入 another on the same day, atomically: the old membership ends on
    ``on`` and the new one starts that day with the same status (full-since date and development
    record carried over). Refused before the person joined the old branch. Returns the new one."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.left_on is not None:
        raise _error(MEMBER_NOT_OPEN, date=current.left_on.isoformat())
    if on < current.joined_on:
        raise _error(MEMBER_TRANSFER_BEFORE_JOINED, "on", joined=current.joined_on.isoformat())
    if to_branch.pk == current.branch_id:
        raise _error(MEMBER_TRANSFER_SAME_BRANCH, "to_branch")
    _check_branch_open(to_branch, on, "to_branch")
    current.left_on, current.left_how, current.to_branch = on, LeaveKind.TRANSFER_OUT, to_branch
    save_checked(current)
    arrived = Membership(
        person=current.person,
        branch=to_branch,
        joined_on=on,
        joined_how=JoinKind.TRANSFER_IN,
        from_branch_id=current.branch_id,
        full_since=current.full_since,
        development=current.development,
        note=note,
    )
    save_checked(arrived)
    membership.left_on, membership.left_how, membership.to_branch = on, LeaveKind.TRANSFER_OUT, to_branch
    return arrived


@transaction.atomic
def membership_leave(*, membership: Membership, on: dt.date, how: str, to_place: str) -> Membership:
    """The member leaves the county's branches: transferred out of the county (转出, where to),
    deceased, or other (with the reason). Transfers within the county use ``membership_transfer``."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.left_on is not None:
        raise _error(MEMBER_NOT_OPEN, date=current.left_on.isoformat())
    if on < current.joined_on:
        raise _error(MEMBER_TRANSFER_BEFORE_JOINED, "on", joined=current.joined_on.isoformat())
    if how not in LeaveKind.values:
        raise _error(MEMBER_LEAVE_KIND, "how")
    if not to_place.strip():
        raise _error(MEMBER_LEAVE_PLACE, "to_place")
    current.left_on, current.left_how, current.to_place = on, how, to_place.strip()
    save_checked(current)
    return current


# ---------------------------------------------------------------- development flow (one rule, one place)


def admit_membership(*, development: Development, on: dt.date) -> Membership:
    """Called by ``development_admit``: the new probationary member joins the development village's
    branch on the admission day; a probationary membership already on record (without a
    development) is linked instead. A full member cannot be admitted again."""
    person = development.person
    current = _open_membership(person, lock=True)
    if current is not None:
        if current.full_since is not None:
            raise _error(DEV_ADMIT_ALREADY_MEMBER, name=person.name, branch=current.branch.name)
        current.development = development
        save_checked(current)
        return current
    branch = village_branch(development.village)
    if branch is None:
        raise _error(DEV_ADMIT_NO_BRANCH, village=development.village.name)
    membership = Membership(
        person=person, branch=branch, joined_on=on, joined_how=JoinKind.ADMITTED, development=development
    )
    save_checked(membership)
    return membership


def confirm_membership(*, development: Development, on: dt.date) -> Membership:
    """Called by ``development_confirm``: the person's open membership (wherever they are now)
    becomes full from the conversion meeting's day."""
    current = _open_membership(development.person, lock=True)
    if current is None:
        raise _error(DEV_CONFIRM_NO_MEMBERSHIP, name=development.person.name)
    current.full_since = on
    current.development = current.development or development
    save_checked(current)
    return current


def sync_development_dates(*, development: Development) -> None:
    """After a correction of a development's admission or confirmation date (更正): the membership
    the admission opened starts on the corrected admission day, and the membership that carries the
    development is full from the corrected confirmation day. Call inside the correction's transaction."""
    admitted = Membership.objects.filter(development=development, joined_how=JoinKind.ADMITTED).first()
    if admitted is not None and development.admitted_on and admitted.joined_on != development.admitted_on:
        admitted.joined_on = development.admitted_on
        save_checked(admitted)
    if development.confirmed_on:
        for membership in Membership.objects.filter(development=development).exclude(full_since=None):
            if membership.full_since != development.confirmed_on:
                membership.full_since = development.confirmed_on
                save_checked(membership)


# ---------------------------------------------------------------- duty posts (无职党员设岗定责)


@transaction.atomic
def duty_assign(
    *, membership: Membership, kind: DutyKind, year: int, assigned_on: dt.date, note: str
) -> DutyAssignment:
    """Give a member without an office a duty post for ``year`` with a note; refused for a member
    holding a two-committee post on the day, or not in the branch that day."""
    person = membership.person
    if assigned_on.year != year:
        raise _error(DUTY_WRONG_YEAR, "assigned_on", year=year)
    in_branch = membership.joined_on <= assigned_on and (
        membership.left_on is None or membership.left_on > assigned_on
    )
    if not in_branch:
        raise _error(DUTY_NOT_MEMBER_ON, "assigned_on", date=assigned_on.isoformat())
    if not kind.active:
        raise _error(DUTY_KIND_INACTIVE, "kind", kind=kind.name)
    office = office_on(person, assigned_on)
    if office is not None:
        raise _error(
            DUTY_HOLDS_OFFICE,
            "membership",
            name=person.name,
            post=f"{office.village.name}{office.get_position_display()}",
        )
    duty = DutyAssignment(
        membership=membership, kind=kind, year=year, assigned_on=assigned_on, note=note.strip()
    )
    save_checked(duty)
    return duty


@transaction.atomic
def duty_kind_create(*, name: str, description: str = "", order: int = 0, active: bool = True) -> DutyKind:
    kind = DutyKind(name=name.strip(), description=description.strip(), order=order, active=active)
    save_checked(kind)
    return kind


@transaction.atomic
def duty_kind_update(*, kind: DutyKind, version: int | None = None, **fields) -> DutyKind:
    lock_for_update(kind, version=version)
    for name, value in fields.items():
        setattr(kind, name, value.strip() if isinstance(value, str) else value)
    save_checked(kind)
    return kind


def ensure_default_duty_kinds() -> None:
    """Seed the four default duty kinds (idempotent)."""
    for order, (name, description) in enumerate(DEFAULT_DUTY_KINDS, start=1):
        if not DutyKind.objects.filter(name=name).exists():
            duty_kind_create(name=name, description=description, order=order)
