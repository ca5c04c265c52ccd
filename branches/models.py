"""The branch register's own records (DESIGN §3): enterprises and the links of joint branches.

The branch itself is ``villages.PartyBranch`` (the hierarchy's anchor, which every app points at).
A joint branch links villages (村村联建, 村企联建) and enterprises (村企联建); the township that owns
the branch (``PartyBranch.township``) edits it, and a township whose village is linked reads it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.creditcodes import validate_credit_code
from villages.models import PartyBranch, Township, Village


class Enterprise(models.Model):
    """An enterprise a village-enterprise joint branch links, registered by a township."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("登记乡镇")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
                name="enterprise_credit_code_format",
                violation_error_message=_("统一社会信用代码格式不正确。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class BranchVillage(models.Model):
    """A village a joint branch links."""

    branch = models.ForeignKey(
        PartyBranch, on_delete=models.CASCADE, related_name="village_links", verbose_name=_("党组织")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="branch_links", verbose_name=_("村（社区）")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联建村")
        verbose_name_plural = _("联建村")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "village"],
                name="one_link_per_branch_village",
                violation_error_message=_("该村已与此党组织联建。"),
            )
        ]
        indexes = [models.Index(fields=["village", "branch"], name="branchvillage_village")]

    def __str__(self) -> str:
        return f"{self.branch} — {self.village}"


class BranchEnterprise(models.Model):
    """An enterprise a village-enterprise joint branch links."""

    branch = models.ForeignKey(
        PartyBranch, on_delete=models.CASCADE, related_name="enterprise_links", verbose_name=_("党组织")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="branch_links", verbose_name=_("企业")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联建企业")
        verbose_name_plural = _("联建企业")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "enterprise"],
                name="one_link_per_branch_enterprise",
                violation_error_message=_("该企业已与此党组织联建。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} — {self.enterprise}"
