"""The administrative hierarchy (DESIGN §2) and the party organisations that hang on it (§3)."""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class PartyBranch(models.Model):
    """A party organisation. Every village has one branch of kind VILLAGE; functional and joint
    branches ([5/7]) are further kinds that belong to a township and may link several villages."""

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
    full_members = models.PositiveIntegerField(
        _("正式党员数"), default=0, help_text=_("7名及以上设支部委员会，否则只设书记。")
    )
    start_date = models.DateField(_("成立日期"), null=True, blank=True)
    end_date = models.DateField(_("撤销日期"), null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.name

    # DESIGN §3: branches with 7+ full members elect a committee of 3-5.
    COMMITTEE_THRESHOLD = 7

    @property
    def has_committee(self) -> bool:
        return self.full_members >= self.COMMITTEE_THRESHOLD
