"""The administrative hierarchy (DESIGN §2) and the party organisations that hang on it (§3)."""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.versioning import Versioned

division_code_validator = RegexValidator(r"^\d{12}$", _("区划代码应为12位数字。"))


class AdministrativeUnit(models.Model):
    """Fields every level shares.

    Units are never deleted: they end (valid_to), so old records keep pointing at them.
    """

    code = models.CharField(
        _("统计用区划代码"), max_length=12, unique=True, validators=[division_code_validator]
    )
    name = models.CharField(_("名称"), max_length=60)
    name_bo = models.CharField(_("藏文名称"), max_length=120, blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True, help_text=_("撤并或更名时填写。"))

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


def _valid_period_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
        name=name,
        violation_error_message=_("终止日期不能早于起始日期。"),
    )


class County(AdministrativeUnit):
    history = HistoricalRecords()

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("县（市）")
        verbose_name_plural = _("县（市）")
        constraints = [_valid_period_constraint("county_valid_period")]


class Township(AdministrativeUnit):
    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("县（市）")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        constraints = [_valid_period_constraint("township_valid_period")]
        indexes = [models.Index(fields=["county", "code"], name="township_county_code")]


class Village(AdministrativeUnit):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("行政村")
        COMMUNITY = "community", _("社区")

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("乡镇（街道）")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.VILLAGE)
    history = HistoricalRecords()

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("村（社区）")
        verbose_name_plural = _("村（社区）")
        constraints = [_valid_period_constraint("village_valid_period")]
        indexes = [models.Index(fields=["township", "code"], name="village_township_code")]


class PartyBranch(Versioned):
    """A party organisation (DESIGN §3). Every village has one branch of kind VILLAGE; functional
    branches (seasonal, youth-talent, migrant-worker) and joint branches belong to a township, which
    owns them (it alone edits them), and may be based in one of its villages; joint branches link
    several villages and enterprises (``branches.BranchVillage``, ``branches.BranchEnterprise``),
    and a township whose village is linked reads the branch too. Members are records in ``cadres``:
    the full-member count is derived there (``cadres.selectors.branch_member_counts``)."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("村党支部")
        SEASONAL_MOBILE = "seasonal_mobile", _("虫草山流动党支部")
        YOUTH_TALENT = "youth_talent", _("青年人才党支部")
        MIGRANT_WORKER = "migrant_worker", _("农民工服务管理党支部")
        JOINT_VILLAGE_ENTERPRISE = "joint_village_enterprise", _("村企联建党支部")
        JOINT_VILLAGE_VILLAGE = "joint_village_village", _("村村联建党支部")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, default=Kind.VILLAGE)
    # The township owns the branch for jurisdiction, whatever villages it links.
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="branches", verbose_name=_("乡镇（街道）")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="branches",
        null=True,
        blank=True,
        verbose_name=_("所在村"),
    )
    start_date = models.DateField(_("成立日期"), null=True, blank=True)
    end_date = models.DateField(_("撤销日期"), null=True, blank=True)
    # A seasonal branch is active in these months of every year (inclusive). A season may cross the
    # year end (November to February) only when it says so: a season whose end month comes before
    # its start month without ``season_crosses_year`` is a typing mistake, refused (branches/rules.py).
    season_start_month = models.PositiveSmallIntegerField(_("活动起始月份"), null=True, blank=True)
    season_end_month = models.PositiveSmallIntegerField(_("活动结束月份"), null=True, blank=True)
    season_crosses_year = models.BooleanField(_("跨年"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["township__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(kind="village"),
                name="one_village_branch_per_village",
                violation_error_message=_("该村已有村党支部。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="village") | Q(village__isnull=False),
                name="village_branch_has_village",
                violation_error_message=_("村党支部必须属于一个村。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="branch_valid_period",
                violation_error_message=_("撤销日期不能早于成立日期。"),
            ),
            models.CheckConstraint(
                condition=Q(season_start_month__isnull=True, season_end_month__isnull=True)
                | Q(season_start_month__isnull=False, season_end_month__isnull=False),
                name="branch_season_both_or_neither",
                violation_error_message=_("活动季节须同时填写起始月份和结束月份。"),
            ),
            models.CheckConstraint(
                condition=Q(season_start_month__isnull=True)
                | Q(season_start_month__gte=1, season_start_month__lte=12),
                name="branch_season_start_month",
                violation_error_message=_("月份须在1至12之间。"),
            ),
            models.CheckConstraint(
                condition=Q(season_end_month__isnull=True)
                | Q(season_end_month__gte=1, season_end_month__lte=12),
                name="branch_season_end_month",
                violation_error_message=_("月份须在1至12之间。"),
            ),
            # Crossing the year end is said, never guessed: an end month before the start month
            # without it is refused, and a season within one year cannot claim to cross it.
            models.CheckConstraint(
                condition=Q(season_start_month__isnull=True, season_crosses_year=False)
                | Q(
                    season_start_month__isnull=False,
                    season_end_month__isnull=False,
                    season_crosses_year=False,
                    season_end_month__gte=F("season_start_month"),
                )
                | Q(
                    season_start_month__isnull=False,
                    season_end_month__isnull=False,
                    season_crosses_year=True,
                    season_end_month__lt=F("season_start_month"),
                ),
                name="branch_season_order",
                violation_error_message=_("活动结束月份早于起始月份：如活动季节跨年，请勾选“跨年”。"),
            ),
            # The seasonal mobile branches (虫草山流动党支部) are defined by their season.
            models.CheckConstraint(
                condition=~Q(kind="seasonal_mobile") | Q(season_start_month__isnull=False),
                name="seasonal_branch_has_season",
                violation_error_message=_("虫草山流动党支部须填写活动季节。"),
            ),
        ]
        indexes = [models.Index(fields=["township", "kind"], name="branch_township_kind")]

    def __str__(self) -> str:
        return self.name

    # DESIGN §3: branches with 7+ full members elect a committee of 3-5 (cadres enforces it).
    COMMITTEE_THRESHOLD = 7

    @property
    def is_joint(self) -> bool:
        return self.kind in JOINT_KINDS

    @property
    def is_functional(self) -> bool:
        return self.kind in FUNCTIONAL_KINDS

    @property
    def has_season(self) -> bool:
        return self.season_start_month is not None


FUNCTIONAL_KINDS = (
    PartyBranch.Kind.SEASONAL_MOBILE,
    PartyBranch.Kind.YOUTH_TALENT,
    PartyBranch.Kind.MIGRANT_WORKER,
)
JOINT_KINDS = (PartyBranch.Kind.JOINT_VILLAGE_ENTERPRISE, PartyBranch.Kind.JOINT_VILLAGE_VILLAGE)
