"""四议两公开 (DESIGN §6): a village matter and the six steps it must pass, in order.

A matter is created by township staff and then moves one step at a time; each step is one row of
``Step`` (one per matter and kind, a database constraint). The matter carries a denormalised
``state`` and the dates list pages and the overdue rules need, so lists filter in SQL without
joining the steps.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.attachments import AttachmentBase
from governance.corrections import Correction
from governance.policy import CountyPolicy
from governance.versioning import Versioned


class Category(models.TextChoices):
    PROJECT = "project", _("项目实施")
    FUND_USE = "fund_use", _("资金使用")
    INDUSTRY = "industry", _("产业规划")
    COLLECTIVE_INCOME = "collective_income", _("集体收益使用")
    LAND_CONTRACT = "land_contract", _("土地承包")
    HOMESTEAD = "homestead", _("宅基地")
    REQUISITION = "requisition", _("征地补偿")
    COLLECTIVE_ASSETS = "collective_assets", _("集体资产处置")
    OTHER = "other", _("其他重大事项")


# 三必议: the three kinds of matter that must always go through the procedure.
MUST_DELIBERATE = frozenset({Category.PROJECT, Category.FUND_USE, Category.INDUSTRY})


class StepKind(models.IntegerChoices):
    """The six steps in their legal order; the integer value is the order."""

    PROPOSE = 1, _("提议")
    CONSULT = 2, _("商议")
    REVIEW = 3, _("审议")
    RESOLVE = 4, _("决议")
    DISCLOSE_RESOLUTION = 5, _("决议公开")
    DISCLOSE_RESULT = 6, _("实施结果公开")


# URL slugs of the steps (the step forms post to ``<matter>/steps/<slug>/``).
STEP_SLUGS = {
    StepKind.PROPOSE: "propose",
    StepKind.CONSULT: "consult",
    StepKind.REVIEW: "review",
    StepKind.RESOLVE: "resolve",
    StepKind.DISCLOSE_RESOLUTION: "disclose-resolution",
    StepKind.DISCLOSE_RESULT: "disclose-result",
}
STEP_BY_SLUG = {slug: kind for kind, slug in STEP_SLUGS.items()}

# Who holds each step (DESIGN §6), shown on the timeline and the notice.
STEP_BODIES = {
    StepKind.PROPOSE: _("村党组织提议"),
    StepKind.CONSULT: _("村“两委”会议商议"),
    StepKind.REVIEW: _("党员大会审议"),
    StepKind.RESOLVE: _("村民会议或村民代表会议决议"),
    StepKind.DISCLOSE_RESOLUTION: _("村民委员会公开决议"),
    StepKind.DISCLOSE_RESULT: _("村民委员会公开实施结果"),
}


class Matter(Versioned):
    class State(models.TextChoices):
        NEW = "new", _("待提议")
        PROPOSED = "proposed", _("已提议")
        CONSULTED = "consulted", _("已商议")
        REVIEWED = "reviewed", _("已审议")
        RESOLVED = "resolved", _("已决议")
        DISCLOSED = "disclosed", _("决议已公开")
        COMPLETED = "completed", _("结果已公开")
        REJECTED = "rejected", _("未通过")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="matters", verbose_name=_("村（社区）")
    )
    title = models.CharField(_("事项名称"), max_length=120)
    category = models.CharField(_("类别"), max_length=24, choices=Category.choices)
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("不涉及金额的事项可不填。"),
    )
    description = models.TextField(_("事项内容"), max_length=1500)
    planned_completion = models.DateField(_("计划完成日期"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.NEW)
    # Denormalised from the steps by the services, for list filters and the overdue rules in SQL.
    proposed_on = models.DateField(_("提议日期"), null=True, blank=True)
    resolved_on = models.DateField(_("决议日期"), null=True, blank=True)
    resolution_disclosed_on = models.DateField(_("决议公开日期"), null=True, blank=True)
    result_disclosed_on = models.DateField(_("结果公开日期"), null=True, blank=True)
    # The resolution must be disclosed by this day: the vote's date plus the notice period in force
    # when the vote was recorded (``Step.rule_notice_days``), so the overdue rule needs no subquery.
    disclose_by = models.DateField(_("决议公示截止日期"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议决事项")
        verbose_name_plural = _("议决事项")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["village", "state"], name="matter_village_state"),
            models.Index(fields=["state", "resolved_on"], name="matter_state_resolved"),
            models.Index(fields=["state", "disclose_by"], name="matter_state_disclose_by"),
            models.Index(fields=["state", "planned_completion"], name="matter_state_planned"),
            # The list's order (newest first): a province's first page without sorting 529,000 rows.
            models.Index(fields=["-created_at", "-id"], name="matter_created"),
            # The matters that can be overdue (resolved or disclosed, about one in nine), with what
            # the overdue counts read: the home pages and dashboards count them from the index alone.
            models.Index(
                fields=["state"],
                include=["disclose_by", "planned_completion", "village", "id"],
                condition=Q(state__in=["resolved", "disclosed"]),
                name="matter_late_candidates",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="matter_amount_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_must_deliberate(self) -> bool:
        return self.category in MUST_DELIBERATE

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.COMPLETED, self.State.REJECTED)


# The state a matter reaches when a step passes.
STATE_AFTER = {
    StepKind.PROPOSE: Matter.State.PROPOSED,
    StepKind.CONSULT: Matter.State.CONSULTED,
    StepKind.REVIEW: Matter.State.REVIEWED,
    StepKind.RESOLVE: Matter.State.RESOLVED,
    StepKind.DISCLOSE_RESOLUTION: Matter.State.DISCLOSED,
    StepKind.DISCLOSE_RESULT: Matter.State.COMPLETED,
}
# The step an open matter in a state waits for.
NEXT_STEP = {
    Matter.State.NEW: StepKind.PROPOSE,
    Matter.State.PROPOSED: StepKind.CONSULT,
    Matter.State.CONSULTED: StepKind.REVIEW,
    Matter.State.REVIEWED: StepKind.RESOLVE,
    Matter.State.RESOLVED: StepKind.DISCLOSE_RESOLUTION,
    Matter.State.DISCLOSED: StepKind.DISCLOSE_RESULT,
}
# States whose resolution has been made public: the only ones the public board shows.
PUBLIC_STATES = (Matter.State.DISCLOSED, Matter.State.COMPLETED)


class MatterTally(models.Model):
    """How many matters each village has in each state: kept by PostgreSQL triggers on
    ``decisions_matter`` in the same transaction as every insert, state change and delete (migration
    0007), so the dashboards read one row per village instead of every matter (bench/RESULTS.md).
    Overdue counts depend on today's date and are counted from the matters themselves."""

    village = models.OneToOneField(
        "villages.Village", on_delete=models.CASCADE, primary_key=True, related_name="matter_tally"
    )
    total = models.IntegerField(default=0, db_default=0)
    new = models.IntegerField(default=0, db_default=0)
    proposed = models.IntegerField(default=0, db_default=0)
    consulted = models.IntegerField(default=0, db_default=0)
    reviewed = models.IntegerField(default=0, db_default=0)
    resolved = models.IntegerField(default=0, db_default=0)
    disclosed = models.IntegerField(default=0, db_default=0)
    completed = models.IntegerField(default=0, db_default=0)
    rejected = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("事项计数")
        verbose_name_plural = _("事项计数")

    def __str__(self) -> str:
        return f"{self.village_id}: {self.total}"


class MeetingType(models.TextChoices):
    ASSEMBLY = "assembly", _("村民会议")
    REPRESENTATIVES = "representatives", _("村民代表会议")


def _count(label, help_text=""):
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=help_text)


class Step(models.Model):
    """One step of a matter. Vote counts are filled for 商议, 审议 and 决议; ``passed`` is False only on
    the vote that rejected the matter (the row is kept as the record of the failed vote)."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="steps", verbose_name=_("事项"))
    kind = models.PositiveSmallIntegerField(_("步骤"), choices=StepKind.choices)
    held_on = models.DateField(_("日期"))
    text = models.TextField(_("内容摘要"), max_length=1500, blank=True)
    # 提议 and 商议 held as one meeting (allowed only where the village has 一肩挑).
    merged_with_proposal = models.BooleanField(_("与提议合并召开"), default=False)
    meeting_type = models.CharField(_("会议类型"), max_length=16, choices=MeetingType.choices, blank=True)
    members_due = _count(_("应到人数"), _("村民会议为本村18周岁以上村民人数。"))
    present = _count(_("实到人数"))
    households = _count(_("本村户数"))
    households_represented = _count(_("到会户代表户数"))
    votes_for = _count(_("赞成票"))
    votes_against = _count(_("反对票"))
    votes_abstain = _count(_("弃权票"))
    passed = models.BooleanField(_("通过"), default=True)
    place = models.CharField(_("公开地点"), max_length=80, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), null=True, blank=True)
    # The county's DecisionPolicy in force when the step was recorded: the step is judged by these,
    # whatever the policy says later (corrections, overdue).
    rule_quorum_num = models.PositiveSmallIntegerField(_("审议到会比例（分子）"), null=True, editable=False)
    rule_quorum_den = models.PositiveSmallIntegerField(_("审议到会比例（分母）"), null=True, editable=False)
    rule_approval_num = models.PositiveSmallIntegerField(_("审议通过比例（分子）"), null=True, editable=False)
    rule_approval_den = models.PositiveSmallIntegerField(_("审议通过比例（分母）"), null=True, editable=False)
    rule_notice_days = models.PositiveSmallIntegerField(_("决议公示期（天）"), null=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议决步骤")
        verbose_name_plural = _("议决步骤")
        ordering = ["matter", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "kind"],
                name="one_step_per_matter_kind",
                violation_error_message=_("该步骤已经录入。"),
            ),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(members_due__isnull=True)
                | Q(present__lte=F("members_due")),
                name="step_present_within_due",
                violation_error_message=_("实到人数不能超过应到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(present__isnull=False, votes_against__isnull=False, votes_abstain__isnull=False)
                & Q(present__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                name="step_votes_within_present",
                violation_error_message=_("赞成、反对、弃权票数之和不能超过实到人数。"),
            ),
            models.CheckConstraint(
                condition=Q(households_represented__isnull=True)
                | Q(households__isnull=False, households_represented__lte=F("households")),
                name="step_households_within_total",
                violation_error_message=_("到会户代表户数不能超过本村户数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_kind_display()}"

    @property
    def slug(self) -> str:
        return STEP_SLUGS[self.kind]

    RULE_FIELDS = {
        "rule_quorum_num": "review_quorum_num",
        "rule_quorum_den": "review_quorum_den",
        "rule_approval_num": "review_approval_num",
        "rule_approval_den": "review_approval_den",
        "rule_notice_days": "notice_period_days",
    }

    def keep_rules(self, policy: DecisionPolicy) -> None:
        """Record ``policy``'s values on the step (done once, when the step is recorded)."""
        for mine, theirs in self.RULE_FIELDS.items():
            setattr(self, mine, getattr(policy, theirs))

    @property
    def rules(self) -> DecisionPolicy:
        """The policy values the step was recorded under (an unsaved DecisionPolicy)."""
        kept = {theirs: getattr(self, mine) for mine, theirs in self.RULE_FIELDS.items()}
        return DecisionPolicy(**{k: v for k, v in kept.items() if v is not None})


class StepCorrection(Correction):
    """A correction of a recorded step by its township (date, numbers, text), with the required reason.

    ``changes`` maps each corrected field to ``[before, after]`` (dates as ISO text). The step row itself
    carries the corrected values; its history keeps every earlier version too."""

    corrected_model = Step
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("步骤")
    )

    class Meta(Correction.Meta):
        verbose_name = _("步骤更正")
        verbose_name_plural = _("步骤更正")

    def __str__(self) -> str:
        return f"{self.step} · {self.corrected_at:%Y-%m-%d}"


class Attachment(AttachmentBase):
    """A scan or photo of minutes or a posted notice (safe handling: ``governance.attachments``)."""

    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("事项")
    )
    file = models.FileField(_("文件"), upload_to="decisions/%Y/%m/")
    history = HistoricalRecords()

    class Meta(AttachmentBase.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class DecisionPolicy(CountyPolicy):
    """Local policy of DESIGN §6 marked *configurable*, per county from a date (``governance.policy``);
    edited by county officials on /settings/ and by admins.

    审议: present × quorum_den ≥ due × quorum_num (default 2/3), and
    for × approval_den > due × approval_num (default: more than half of those due).
    A step keeps the values in force when it was recorded (``Step.rule_*``) and is judged by them.
    """

    notice_period_days = models.PositiveSmallIntegerField(
        _("决议公示期（天）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("决议应在表决后该天数内公开，公示不少于该天数。"),
    )
    review_quorum_num = models.PositiveSmallIntegerField(
        _("审议到会比例（分子）"), default=2, validators=[MinValueValidator(1)]
    )
    review_quorum_den = models.PositiveSmallIntegerField(
        _("审议到会比例（分母）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    review_approval_num = models.PositiveSmallIntegerField(
        _("审议通过比例（分子）"), default=1, validators=[MinValueValidator(1)]
    )
    review_approval_den = models.PositiveSmallIntegerField(
        _("审议通过比例（分母）"), default=2, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    value_fields = (
        "review_quorum_num",
        "review_quorum_den",
        "review_approval_num",
        "review_approval_den",
        "notice_period_days",
    )

    class Meta(CountyPolicy.Meta):
        verbose_name = _("四议两公开规则")
        verbose_name_plural = _("四议两公开规则")
        constraints = [
            *CountyPolicy.Meta.constraints,
            models.CheckConstraint(
                condition=Q(review_quorum_num__lte=F("review_quorum_den"))
                & Q(review_approval_num__lte=F("review_approval_den"))
                & Q(review_quorum_den__gt=0)
                & Q(review_approval_den__gt=0),
                name="decision_policy_fractions",
                violation_error_message=_("比例的分子不能大于分母，分母不能为0。"),
            ),
        ]

    def clean(self):
        errors = {}
        pairs = (("review_quorum_num", "review_quorum_den"), ("review_approval_num", "review_approval_den"))
        for num, den in pairs:
            a, b = getattr(self, num), getattr(self, den)
            if a is not None and b is not None and a > b:
                errors[num] = _("分子不能大于分母（比例不能超过100%）。")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return str(_("四议两公开规则"))
