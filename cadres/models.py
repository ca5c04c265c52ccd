"""Village cadres (DESIGN §4): people, two-committee posts, yearly evaluations, party-member
development and the 3512 reserve-cadre plan."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres import idnumbers
from governance.corrections import Correction
from governance.policy import CountyPolicy
from governance.versioning import Versioned


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class Person(Versioned):
    """One record per human; posts, evaluations, applications and reserve places point at it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=40)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="藏族")
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices)
    phone = models.CharField(
        _("手机号"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"\A(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8})\Z",
                _("手机号应为11位手机号码，或带区号的固定电话（如0836-2812345）。"),
            )
        ],
    )
    # The ID number itself is never stored in clear (see cadres/idnumbers.py).
    id_number_encrypted = models.TextField(_("身份证号码（密文）"), editable=False)
    id_number_hash = models.CharField(_("身份证号码（散列）"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    is_returning_migrant = models.BooleanField(_("返乡农民工"), default=False)
    is_college_graduate = models.BooleanField(_("大中专毕业生"), default=False)
    is_veteran = models.BooleanField(_("退伍军人"), default=False)
    is_wealth_expert = models.BooleanField(_("致富能手"), default=False)
    home_village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="residents", verbose_name=_("户籍所在村")
    )
    # Ciphertext and hash change meaninglessly; the masked column records that the number changed.
    history = HistoricalRecords(excluded_fields=["id_number_encrypted", "id_number_hash"])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "birth_date"]
        indexes = [models.Index(fields=["home_village", "name"], name="person_village_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                name="person_unique_id_number",
                violation_error_message=_("该身份证号码已登记。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, number: str) -> None:
        number = idnumbers.normalize(number)
        self.id_number_encrypted = idnumbers.encrypt(number)
        self.id_number_hash = idnumbers.keyed_hash(number)
        self.id_number_masked = idnumbers.mask(number)

    def reveal_id_number(self) -> str:
        """The whole number. Only ``services.person_reveal_id_number`` calls this (it logs the reveal)."""
        return idnumbers.decrypt(self.id_number_encrypted)

    @property
    def masked_phone(self) -> str:
        return idnumbers.mask_phone(self.phone)

    @property
    def has_quota_background(self) -> bool:
        """The 3512 background quota counts returning migrant workers and wealth-creation experts."""
        return self.is_returning_migrant or self.is_wealth_expert

    @property
    def background_labels(self) -> list[str]:
        fields = ["is_returning_migrant", "is_college_graduate", "is_veteran", "is_wealth_expert"]
        return [str(self._meta.get_field(f).verbose_name) for f in fields if getattr(self, f)]

    def age_on(self, day: dt.date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )


class IdNumberReveal(models.Model):
    """Each time a whole ID number was shown: who saw whose, when (PIPL accountability)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reveals", verbose_name=_("被查看人")
    )
    revealed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("身份证号码查看记录")
        verbose_name_plural = _("身份证号码查看记录")
        ordering = ["-revealed_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.person}"


class Committee(models.TextChoices):
    BRANCH = "branch", _("村党支部委员会")
    VILLAGERS = "villagers", _("村民委员会")
    SUPERVISION = "supervision", _("村务监督委员会")


class Position(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE_INSPECTION = "discipline_inspection", _("纪检委员")
    DIRECTOR = "director", _("主任")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    MEMBER = "member", _("委员")
    SUPERVISION_CHAIR = "supervision_chair", _("监委会主任")
    SUPERVISION_MEMBER = "supervision_member", _("监委会委员")


POSITIONS_BY_COMMITTEE = {
    Committee.BRANCH: [
        Position.SECRETARY,
        Position.DEPUTY_SECRETARY,
        Position.ORGANISATION,
        Position.PROPAGANDA,
        Position.DISCIPLINE_INSPECTION,
    ],
    Committee.VILLAGERS: [Position.DIRECTOR, Position.DEPUTY_DIRECTOR, Position.MEMBER],
    Committee.SUPERVISION: [Position.SUPERVISION_CHAIR, Position.SUPERVISION_MEMBER],
}
# Villagers' committee and branch terms are five years (DESIGN §3, §4).
TERM_YEARS = 5


class Post(models.Model):
    """A person holding one position on one committee of one village, from start to end date.
    ``end_date`` is when they actually left (empty while they hold it); ``term_end`` is when the
    term they were elected for runs out."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts", verbose_name=_("人员"))
    village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="cadre_posts", verbose_name=_("村（社区）")
    )
    committee = models.CharField(_("组织"), max_length=12, choices=Committee.choices)
    position = models.CharField(_("职务"), max_length=24, choices=Position.choices)
    start_date = models.DateField(_("任职日期"))
    term_end = models.DateField(_("任期届满日期"), null=True, blank=True)
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["village__code", "committee", "position", "start_date"]
        indexes = [
            models.Index(fields=["village", "end_date"], name="post_village_end"),
            models.Index(fields=["person", "end_date"], name="post_person_end"),
            # A branch's committee counts (per village and committee, on a day) read the index only.
            models.Index(
                fields=["village", "committee"],
                include=["position", "start_date", "end_date", "id"],
                name="post_village_committee",
            ),
            # Who must be trained (training coverage): the secretaries' and directors' posts alone.
            models.Index(
                fields=["village"],
                include=["person", "start_date", "end_date"],
                condition=Q(position__in=["secretary", "director"]),
                name="post_covered_village",
            ),
            # Terms ending soon (every home page): the open posts by the end of their term.
            models.Index(fields=["term_end"], condition=Q(end_date__isnull=True), name="post_open_term_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "position"],
                condition=Q(position="secretary", end_date__isnull=True),
                name="one_active_secretary_per_village",
                violation_error_message=_("该村已有在任的党支部书记。"),
            ),
            models.UniqueConstraint(
                fields=["village", "position"],
                condition=Q(position="director", end_date__isnull=True),
                name="one_active_director_per_village",
                violation_error_message=_("该村已有在任的村民委员会主任。"),
            ),
            models.UniqueConstraint(
                fields=["village", "position"],
                condition=Q(position="supervision_chair", end_date__isnull=True),
                name="one_active_supervision_chair_per_village",
                violation_error_message=_("该村已有在任的村务监督委员会主任。"),
            ),
            models.CheckConstraint(
                condition=(
                    Q(committee="branch", position__in=POSITIONS_BY_COMMITTEE[Committee.BRANCH])
                    | Q(committee="villagers", position__in=POSITIONS_BY_COMMITTEE[Committee.VILLAGERS])
                    | Q(committee="supervision", position__in=POSITIONS_BY_COMMITTEE[Committee.SUPERVISION])
                ),
                name="post_position_matches_committee",
                violation_error_message=_("职务与所属组织不符。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="post_end_after_start",
                violation_error_message=_("离任日期不能早于任职日期。"),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=F("start_date")),
                name="post_term_end_after_start",
                violation_error_message=_("任期届满日期应晚于任职日期。"),
            ),
        ]

    def __str__(self) -> str:
        # Through the catalogue: in English the committee and position need a space between them.
        return gettext("%(village)s %(committee)s%(position)s %(person)s") % {
            "village": self.village,
            "committee": self.get_committee_display(),
            "position": self.get_position_display(),
            "person": self.person,
        }

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    """Posts held on ``day`` (start on or before it, not yet ended before it)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class Performance(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class Integrity(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class Evaluation(models.Model):
    """两述一评: the yearly duty report, integrity report and democratic review of one cadre."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("人员")
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="cadre_evaluations",
        verbose_name=_("村（社区）"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    performance = models.CharField(_("述职评议"), max_length=12, choices=Performance.choices)
    integrity = models.CharField(_("述廉评议"), max_length=12, choices=Integrity.choices)
    evaluated_on = models.DateField(_("评议日期"))
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("两述一评")
        verbose_name_plural = _("两述一评")
        ordering = ["-year", "village__code", "person__name"]
        indexes = [
            # The list's order starts with the year: read a year's rows in order, not all of them.
            models.Index(fields=["year", "village"], name="evaluation_year_village"),
            # The two-years-不称职 flag reads only the 不称职 rows (about 1%).
            models.Index(
                fields=["person", "year"],
                condition=Q(performance="incompetent"),
                name="evaluation_incompetent",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="one_evaluation_per_person_year",
                violation_error_message=_("该人员本年度已有两述一评记录。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.person}"


class DevelopmentStage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL_MEMBER = "full_member", _("正式党员")


class Development(models.Model):
    """One person's way into the party through their village branch (发展党员), stage by stage."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="developments", verbose_name=_("人员")
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="party_developments",
        verbose_name=_("村（社区）"),
    )
    stage = models.CharField(
        _("阶段"), max_length=16, choices=DevelopmentStage.choices, default=DevelopmentStage.APPLICANT
    )
    applied_on = models.DateField(_("递交申请日期"))
    talked_on = models.DateField(_("支部谈话日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    admitted_on = models.DateField(_("接收预备党员支部大会日期"), null=True, blank=True)
    admission_due = models.PositiveIntegerField(_("应到有表决权党员数（接收）"), null=True, blank=True)
    admission_present = models.PositiveIntegerField(_("实到有表决权党员数（接收）"), null=True, blank=True)
    admission_yes = models.PositiveIntegerField(_("赞成票（接收）"), null=True, blank=True)
    probation_ends_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), null=True, blank=True)
    extended_on = models.DateField(_("延长预备期决定日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("转正支部大会日期"), null=True, blank=True)
    confirmation_due = models.PositiveIntegerField(_("应到有表决权党员数（转正）"), null=True, blank=True)
    confirmation_present = models.PositiveIntegerField(_("实到有表决权党员数（转正）"), null=True, blank=True)
    confirmation_yes = models.PositiveIntegerField(_("赞成票（转正）"), null=True, blank=True)
    tags = models.CharField(
        _("本地程序标签"),
        max_length=120,
        blank=True,
        help_text=_("如 5+2+1、两推五问三审、双承诺，仅作标注。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["village__code", "applied_on"]
        indexes = [models.Index(fields=["stage", "probation_ends_on"], name="development_overdue")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(stage="full_member"),
                name="one_open_development_per_person",
                violation_error_message=_("该人员已有进行中的发展党员记录。"),
            ),
            models.CheckConstraint(
                condition=Q(admission_present__lte=F("admission_due")) | Q(admission_due__isnull=True),
                name="development_admission_present_le_due",
                violation_error_message=_("实到人数不能多于应到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(admission_yes__lte=F("admission_present")) | Q(admission_present__isnull=True),
                name="development_admission_yes_le_present",
                violation_error_message=_("赞成票不能多于实到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(confirmation_present__lte=F("confirmation_due"))
                | Q(confirmation_due__isnull=True),
                name="development_confirmation_present_le_due",
                violation_error_message=_("实到人数不能多于应到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(confirmation_yes__lte=F("confirmation_present"))
                | Q(confirmation_present__isnull=True),
                name="development_confirmation_yes_le_present",
                violation_error_message=_("赞成票不能多于实到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(extension_months__isnull=True)
                | Q(extension_months__gte=6, extension_months__lte=12),
                name="development_extension_6_to_12_months",
                violation_error_message=_("预备期只能延长6至12个月。"),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s（%(stage)s）") % {"person": self.person, "stage": self.get_stage_display()}

    def is_overdue_on(self, day: dt.date) -> bool:
        """Probation has ended but no conversion decision was recorded (see ``probation_overdue_q``)."""
        return (
            self.stage == DevelopmentStage.PROBATIONARY
            and self.probation_ends_on is not None
            and self.probation_ends_on < day
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


def probation_overdue_q(day: dt.date) -> Q:
    """Developments whose probation ended before ``day`` with no conversion decision: the overdue list."""
    return Q(stage=DevelopmentStage.PROBATIONARY, probation_ends_on__lt=day)


class ReserveQuota(CountyPolicy):
    """The 3512 plan's configurable quota (DESIGN §4), per county from a date (``governance.policy``).

    A plan year is judged by the row in force on its 1 January (``for_year``): a change scheduled
    during a year applies from the next one, so a year's compliance never changes under it.
    """

    min_count = models.PositiveSmallIntegerField(_("每村最少后备干部数"), default=3)
    max_count = models.PositiveSmallIntegerField(_("每村最多后备干部数"), default=5)
    min_background = models.PositiveSmallIntegerField(_("返乡农民工或致富能手最少人数"), default=1)
    max_background = models.PositiveSmallIntegerField(_("返乡农民工或致富能手最多人数"), default=2)
    history = HistoricalRecords()

    value_fields = ("min_count", "max_count", "min_background", "max_background")

    class Meta(CountyPolicy.Meta):
        verbose_name = _("后备干部配备标准")
        verbose_name_plural = _("后备干部配备标准")
        constraints = [
            *CountyPolicy.Meta.constraints,
            models.CheckConstraint(
                condition=Q(min_count__lte=F("max_count")),
                name="reserve_quota_count_range",
                violation_error_message=_("最少人数不能多于最多人数。"),
            ),
            models.CheckConstraint(
                condition=Q(min_background__lte=F("max_background")),
                name="reserve_quota_background_range",
                violation_error_message=_("背景最少人数不能多于最多人数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.min_count}-{self.max_count} / {self.min_background}-{self.max_background}"

    def clean(self):
        if None not in (self.min_background, self.max_count) and self.min_background > self.max_count:
            raise ValidationError({"min_background": _("背景最少人数不能多于每村最多后备干部数。")})

    @staticmethod
    def year_start(year: int) -> dt.date:
        return dt.date(year, 1, 1)

    @classmethod
    def for_year(cls, county, year: int) -> ReserveQuota:
        """The quota a plan year of ``county`` is judged by (the row in force on 1 January)."""
        return cls.effective(county, on=cls.year_start(year))


class ReserveStage(models.TextChoices):
    RECOMMENDED = "recommended", _("党群荐")
    REVIEWED = "reviewed", _("两委审")
    DECIDED = "decided", _("综合定")
    PAIRED = "paired", _("结对帮")


class ReserveOutcome(models.TextChoices):
    IN_RESERVE = "in_reserve", _("继续储备")
    APPOINTED = "appointed", _("已任用")
    WITHDRAWN = "withdrawn", _("已退出")


class ReserveCadre(models.Model):
    """A person on a village's 3512 reserve bench for one plan year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="reserve_cadres",
        verbose_name=_("村（社区）"),
    )
    plan_year = models.PositiveSmallIntegerField(
        _("计划年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reserve_places", verbose_name=_("人员")
    )
    stage = models.CharField(
        _("选拔环节"), max_length=12, choices=ReserveStage.choices, default=ReserveStage.RECOMMENDED
    )
    recommended_on = models.DateField(_("党群推荐日期"))
    reviewed_on = models.DateField(_("两委审核日期"), null=True, blank=True)
    decided_on = models.DateField(_("乡镇综合确定日期"), null=True, blank=True)
    paired_on = models.DateField(_("结对日期"), null=True, blank=True)
    mentor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="mentees",
        null=True,
        blank=True,
        verbose_name=_("结对帮带干部"),
    )
    outcome = models.CharField(
        _("去向"), max_length=12, choices=ReserveOutcome.choices, default=ReserveOutcome.IN_RESERVE
    )
    appointed_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("任用职务")
    )
    withdrawal_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("后备干部")
        verbose_name_plural = _("后备干部")
        ordering = ["-plan_year", "village__code", "recommended_on"]
        indexes = [models.Index(fields=["plan_year", "village"], name="reserve_year_village")]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "plan_year", "person"],
                name="one_reserve_place_per_person_village_year",
                violation_error_message=_("该人员已在本村本年度后备干部名单中。"),
            ),
            models.CheckConstraint(
                condition=~Q(stage="paired") | Q(mentor__isnull=False),
                name="paired_reserve_has_mentor",
                violation_error_message=_("结对帮环节须指定帮带干部。"),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="appointed") | Q(appointed_post__isnull=False),
                name="appointed_reserve_has_post",
                violation_error_message=_("已任用须关联所任职务。"),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="withdrawn") | ~Q(withdrawal_reason=""),
                name="withdrawn_reserve_has_reason",
                violation_error_message=_("退出须填写原因。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_year} {self.village} {self.person}"


class ReserveTally(models.Model):
    """A village's reserve cadres of a plan year (withdrawn ones excluded) and how many of them are
    returning migrant workers or wealth-creation experts: kept by PostgreSQL triggers on the reserve
    cadres and on people's background tags, in the same transaction as each write (migration 0009),
    so the 3512 roll-ups read one row per village instead of joining every reserve to its person."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.CASCADE,
        related_name="reserve_tallies",
        verbose_name=_("村（社区）"),
    )
    plan_year = models.PositiveSmallIntegerField(_("计划年度"))
    reserves = models.IntegerField(default=0, db_default=0)
    backgrounds = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("后备干部计数")
        verbose_name_plural = _("后备干部计数")
        constraints = [models.UniqueConstraint(fields=["plan_year", "village"], name="one_reserve_tally")]

    def __str__(self) -> str:
        return f"{self.plan_year} {self.village_id}: {self.reserves}"


# ---------------------------------------------------------------- corrections (governance/corrections.py)


class DevelopmentCorrection(Correction):
    """A recorded development stage corrected by its township (dates, meeting numbers), with a reason."""

    corrected_model = Development
    development = models.ForeignKey(
        Development, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("发展党员")
    )

    class Meta(Correction.Meta):
        verbose_name = _("发展党员更正")
        verbose_name_plural = _("发展党员更正")


class ReserveCorrection(Correction):
    """A recorded reserve-cadre step corrected by its township (dates, mentor), with a reason."""

    corrected_model = ReserveCadre
    reserve = models.ForeignKey(
        ReserveCadre, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("后备干部")
    )

    class Meta(Correction.Meta):
        verbose_name = _("后备干部更正")
        verbose_name_plural = _("后备干部更正")


class PostCorrection(Correction):
    """A post's recorded dates (start, term end, end) corrected by its township, with a reason."""

    corrected_model = Post
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("任职")
    )

    class Meta(Correction.Meta):
        verbose_name = _("任职更正")
        verbose_name_plural = _("任职更正")


class EvaluationCorrection(Correction):
    """A recorded 两述一评 (ratings, date, notes) corrected by its township, with a reason."""

    corrected_model = Evaluation
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("两述一评")
    )

    class Meta(Correction.Meta):
        verbose_name = _("两述一评更正")
        verbose_name_plural = _("两述一评更正")


# ---------------------------------------------------------------- party membership ([7/10], DESIGN §3)


class DateRange(models.Func):
    """PostgreSQL ``daterange(lower, upper, '[)')``: a membership's period, open-ended while it lasts."""

    function = "DATERANGE"

    def __init__(self, lower, upper):
        super().__init__(lower, upper, models.Value("[)"), output_field=DateRangeField())


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class JoinKind(models.TextChoices):
    ADMITTED = "admitted", _("发展接收")
    TRANSFER_IN = "transfer_in", _("转入")
    REGISTERED = "registered", _("建档登记")


class LeaveKind(models.TextChoices):
    TRANSFER_OUT = "transfer_out", _("转出")
    DECEASED = "deceased", _("去世")
    OTHER = "other", _("其他")


# A branch with at least this many full members elects a committee (DESIGN §3) of 3-5 posts.
COMMITTEE_MIN_FULL_MEMBERS = 7
COMMITTEE_MIN_POSTS, COMMITTEE_MAX_POSTS = 3, 5
# The village affairs supervision committee has 3-5 members (DESIGN §5).
SUPERVISION_MIN_MEMBERS, SUPERVISION_MAX_MEMBERS = 3, 5


class Membership(models.Model):
    """One person's party membership in one branch for a period: from ``joined_on`` (counted that
    day) until ``left_on`` (not counted that day), so a transfer out and in on the same day leaves no
    gap and no overlap. A full member from ``full_since`` (possibly before joining this branch, when
    transferred in); probationary before that. ``full_since`` is set only by the development flow
    (``development_confirm``), by registering an existing full member, or copied on a transfer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("党员")
    )
    branch = models.ForeignKey(
        "villages.PartyBranch", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("党组织")
    )
    joined_on = models.DateField(_("组织关系转入（接收）日期"))
    joined_how = models.CharField(_("加入方式"), max_length=16, choices=JoinKind.choices)
    from_branch = models.ForeignKey(
        "villages.PartyBranch",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("转出党组织"),
    )
    from_place = models.CharField(_("从何处转入"), max_length=120, blank=True)
    full_since = models.DateField(_("转为正式党员日期"), null=True, blank=True)
    development = models.ForeignKey(
        Development,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("发展党员记录"),
    )
    left_on = models.DateField(_("组织关系转出（离开）日期"), null=True, blank=True)
    left_how = models.CharField(_("离开方式"), max_length=16, choices=LeaveKind.choices, blank=True)
    to_branch = models.ForeignKey(
        "villages.PartyBranch",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("转入党组织"),
    )
    to_place = models.CharField(_("转往何处"), max_length=120, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员组织关系")
        verbose_name_plural = _("党员组织关系")
        ordering = ["branch", "joined_on", "pk"]
        indexes = [models.Index(fields=["branch", "left_on"], name="membership_branch_left")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_person",
                violation_error_message=_("该人员已在一个党组织中，请先办理转出。"),
            ),
            ExclusionConstraint(
                name="membership_periods_do_not_overlap",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    (DateRange("joined_on", "left_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("该人员在这段时间已在其他党组织，组织关系的时间不能重叠。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("转出日期不能早于转入日期。"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, left_how="") | Q(left_on__isnull=False) & ~Q(left_how=""),
                name="membership_left_has_kind",
                violation_error_message=_("离开须注明方式和日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.person}"

    def is_full_on(self, day: dt.date) -> bool:
        return self.full_since is not None and self.full_since <= day

    def status_on(self, day: dt.date) -> str:
        return MemberStatus.FULL if self.is_full_on(day) else MemberStatus.PROBATIONARY

    def status_label_on(self, day: dt.date) -> str:
        return MemberStatus(self.status_on(day)).label

    def is_open(self) -> bool:
        return self.left_on is None


def membership_on_q(day: dt.date, prefix: str = "") -> Q:
    """Memberships counted on ``day``: joined on or before it, not left on or before it."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def full_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}full_since__lte": day})


class DutyKind(Versioned):
    """无职党员设岗定责: a kind of duty post (政策宣传岗, 环境监督岗 …). Admins and county officials
    keep the list; a kind no longer offered is deactivated, never deleted (assignments point at it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("岗位名称"), max_length=40, unique=True)
    description = models.CharField(_("岗位职责"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员岗位类型")
        verbose_name_plural = _("党员岗位类型")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class DutyAssignment(models.Model):
    """A member without an office (no current two-committee post) given a duty post for a year,
    with a note of the duties agreed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="duties", verbose_name=_("党员")
    )
    kind = models.ForeignKey(
        DutyKind, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("岗位")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    assigned_on = models.DateField(_("设岗日期"))
    note = models.TextField(_("履职要求"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("无职党员设岗定责")
        verbose_name_plural = _("无职党员设岗定责")
        ordering = ["-year", "membership__branch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                name="one_duty_per_member_year",
                violation_error_message=_("该党员本年度已有岗位。"),
            ),
            models.CheckConstraint(
                condition=~Q(note=""),
                name="duty_has_note",
                violation_error_message=_("请填写履职要求。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.membership.person}"


# ---------------------------------------------------------------- first secretaries ([9/10])


class Stationing(models.Model):
    """驻村第一书记: a person from outside the village (a county or prefecture unit sends them)
    stationed in one village from ``start_date`` until ``end_date`` (离任; empty while there). At
    most one stationing per village is open at a time. Current on day d: started on or before d and
    not ended before d (``stationed_on_q``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="stationings", verbose_name=_("第一书记")
    )
    village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="stationings", verbose_name=_("村（社区）")
    )
    sending_unit = models.CharField(_("派出单位"), max_length=120)
    start_date = models.DateField(_("驻村日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("驻村第一书记")
        verbose_name_plural = _("驻村第一书记")
        ordering = ["village__code", "-start_date", "pk"]
        indexes = [models.Index(fields=["village", "end_date"], name="stationing_village_end")]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(end_date__isnull=True),
                name="one_active_stationing_per_village",
                violation_error_message=_("该村已有在任的驻村第一书记，请先办理离任。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="stationing_end_after_start",
                violation_error_message=_("离任日期不能早于驻村日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(sending_unit=""),
                name="stationing_has_sending_unit",
                violation_error_message=_("请填写派出单位。"),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(village)s 驻村第一书记 %(person)s") % {
            "village": self.village,
            "person": self.person,
        }

    def is_current_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def stationed_on_q(day: dt.date, prefix: str = "") -> Q:
    """Stationings current on ``day``: started on or before it, not ended before it."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class StationingCorrection(Correction):
    """A stationing's recorded dates (start, end) corrected by its township, with a reason."""

    corrected_model = Stationing
    stationing = models.ForeignKey(
        Stationing, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("驻村第一书记")
    )

    class Meta(Correction.Meta):
        verbose_name = _("驻村第一书记更正")
        verbose_name_plural = _("驻村第一书记更正")
