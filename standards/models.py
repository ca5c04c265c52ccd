"""六个标准化 (DESIGN §3): a rule catalogue per county, which rules each village adopted (with
evidence), and a yearly review of each party branch with one score and evidence note per area.

- ``Rule``: kept per county (code unique within the county); county officials edit their county's
  catalogue, admins every county. A retired rule leaves the catalogue (and compliance) but keeps
  its adoptions and history.
- ``Adoption``: one per village and rule, dated, with a note and/or attachments as evidence.
  Compliance = adopted active rules / active rules of the county (``standards.selectors``).
- ``Review``: one per branch and year; draft → submitted → confirmed by the county, or returned
  with a reason → edited → submitted again. Its ``total`` is the mean of the six scores.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.attachments import AttachmentBase
from governance.versioning import Versioned


class Area(models.TextChoices):
    """The six areas, in the order the county's documents list them."""

    OPERATION = "operation", _("组织运行")
    FACILITIES = "facilities", _("阵地建设")
    LIFE = "life", _("组织生活")
    EXCELLENCE = "excellence", _("创先争优")
    RECORDS = "records", _("内业规范")
    ASSESSMENT = "assessment", _("考核问效")


AREAS = list(Area)

MIN_YEAR, MAX_YEAR = 2000, 2100


class Rule(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(
        "villages.County", on_delete=models.PROTECT, related_name="standard_rules", verbose_name=_("县（市）")
    )
    area = models.CharField(_("领域"), max_length=12, choices=Area.choices)
    code = models.CharField(_("编号"), max_length=20, help_text=_("在本县（市）内唯一，如 ZZYX-01。"))
    title = models.CharField(_("规范名称"), max_length=200)
    is_example = models.BooleanField(
        _("示例"), default=False, help_text=_("演示用的示例规范，不是正式文件。")
    )
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标准化规范")
        verbose_name_plural = _("标准化规范")
        ordering = ["county__code", "area", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code"],
                name="standard_rule_code_per_county",
                violation_error_message=_("本县（市）已有该编号的规范。"),
            ),
        ]
        indexes = [models.Index(fields=["county", "area"], name="standard_rule_county_area")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.retired_on is None


class Adoption(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="standard_adoptions",
        verbose_name=_("村（社区）"),
    )
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("规范"))
    adopted_on = models.DateField(_("采纳日期"))
    note = models.TextField(_("佐证说明"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规范采纳")
        verbose_name_plural = _("规范采纳")
        ordering = ["village__code", "rule__area", "rule__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "rule"],
                name="one_adoption_per_village_rule",
                violation_error_message=_("该村已采纳这条规范。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.rule.code}"


class AdoptionAttachment(AttachmentBase):
    """Evidence of an adoption: a scan or photo (safe handling: ``governance.attachments``)."""

    adoption = models.ForeignKey(
        Adoption, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("规范采纳")
    )
    file = models.FileField(_("文件"), upload_to="standards/%Y/%m/")
    history = HistoricalRecords()

    class Meta(AttachmentBase.Meta):
        verbose_name = _("采纳佐证材料")
        verbose_name_plural = _("采纳佐证材料")


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text=_("0-100分")
    )


# The score and evidence-note field of each area.
SCORE_FIELDS = {area: f"score_{area.value}" for area in Area}
NOTE_FIELDS = {area: f"note_{area.value}" for area in Area}


class Review(Versioned):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    branch = models.ForeignKey(
        "villages.PartyBranch",
        on_delete=models.PROTECT,
        related_name="standard_reviews",
        verbose_name=_("党组织"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    score_operation = _score_field(_("组织运行得分"))
    note_operation = models.TextField(_("组织运行佐证"), max_length=1000)
    score_facilities = _score_field(_("阵地建设得分"))
    note_facilities = models.TextField(_("阵地建设佐证"), max_length=1000)
    score_life = _score_field(_("组织生活得分"))
    note_life = models.TextField(_("组织生活佐证"), max_length=1000)
    score_excellence = _score_field(_("创先争优得分"))
    note_excellence = models.TextField(_("创先争优佐证"), max_length=1000)
    score_records = _score_field(_("内业规范得分"))
    note_records = models.TextField(_("内业规范佐证"), max_length=1000)
    score_assessment = _score_field(_("考核问效得分"))
    note_assessment = models.TextField(_("考核问效佐证"), max_length=1000)
    # The mean of the six scores, to two decimals (half up); set by the services from the scores,
    # stored so that lists, filters and the ranking work in SQL.
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    assessor = models.CharField(_("考评人"), max_length=40)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(_("退回原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("确认人"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("六个标准化考评")
        verbose_name_plural = _("六个标准化考评")
        ordering = ["-year", "branch__township__code", "branch__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year"],
                name="one_standard_review_per_branch_year",
                violation_error_message=_("该党组织本年度已有六个标准化考评，不能重复录入。"),
            ),
            models.CheckConstraint(
                condition=Q(score_operation__gte=0, score_operation__lte=100)
                & Q(score_facilities__gte=0, score_facilities__lte=100)
                & Q(score_life__gte=0, score_life__lte=100)
                & Q(score_excellence__gte=0, score_excellence__lte=100)
                & Q(score_records__gte=0, score_records__lte=100)
                & Q(score_assessment__gte=0, score_assessment__lte=100),
                name="standard_review_scores_0_100",
                violation_error_message=_("每项得分应在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="standard_review_year_range",
                violation_error_message=_("年度应在2000到2100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=100),
                name="standard_review_total_0_100",
                violation_error_message=_("总分应在0到100之间。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="standard_review_year_state")]

    def __str__(self) -> str:
        return f"{self.branch} · {self.year}"

    def scores(self) -> list[tuple[str, int | None, str]]:
        """(area label, score, note) in area order, for the detail page."""
        return [
            (area.label, getattr(self, SCORE_FIELDS[area]), getattr(self, NOTE_FIELDS[area])) for area in Area
        ]

    def mean_score(self) -> Decimal:
        """The total: the mean of the six scores, rounded half up to two decimals."""
        values = [getattr(self, SCORE_FIELDS[area]) or 0 for area in Area]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)
