"""村规民约 and 文明公约: each village's rules and civility pledge as dated versions.

The app is called ``compacts`` because both are village compacts: agreements a village adopts for
itself (in a villagers' assembly, often through a 四议两公开 matter), not rules handed down.

- ``CompactVersion``: one adopted text of one kind for one village. Versions of a village and kind
  are ordered by their adopted date, which only moves forward: a new version must be adopted after
  the latest one (``compacts.services``), and two versions never share a date (a database
  constraint). The **current** version is the latest adopted; earlier ones stay readable.
- The text is published on the public board, so it may not hold an ID or phone number.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.attachments import AttachmentBase
from governance.corrections import Correction
from governance.privacy import reject_personal
from governance.versioning import Versioned

TEXT_MAX = 5000


class Kind(models.TextChoices):
    RULES = "rules", _("村规民约")
    CIVILITY = "civility", _("文明公约")


class CompactVersion(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="compact_versions",
        verbose_name=_("村（社区）"),
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("全文"), max_length=TEXT_MAX, validators=[reject_personal])
    adopted_on = models.DateField(_("通过日期"))
    matter = models.ForeignKey(
        "decisions.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compact_versions",
        verbose_name=_("通过该版本的“四议两公开”事项"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("村规民约（文明公约）版本")
        verbose_name_plural = _("村规民约（文明公约）版本")
        ordering = ["village__code", "kind", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "adopted_on"],
                name="one_compact_version_per_village_kind_date",
                violation_error_message=_("该村在这一天已有同类版本。"),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="compact_version_has_text",
                violation_error_message=_("请填写全文。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["rules", "civility"]),
                name="compact_version_kind_known",
                violation_error_message=_("类别无效。"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "adopted_on"], name="compact_kind_adopted")]

    def __str__(self) -> str:
        return f"{self.village} · {self.get_kind_display()} · {self.adopted_on:%Y-%m-%d}"


class CompactAttachment(AttachmentBase):
    """A scan or photo of the adopted text (safe handling: ``governance.attachments``)."""

    compact = models.ForeignKey(
        CompactVersion, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("版本")
    )
    file = models.FileField(_("文件"), upload_to="compacts/%Y/%m/")
    history = HistoricalRecords()

    class Meta(AttachmentBase.Meta):
        verbose_name = _("村规民约附件")
        verbose_name_plural = _("村规民约附件")


class CompactCorrection(Correction):
    """A correction of a recorded version's text or adopted date, with the required reason."""

    corrected_model = CompactVersion

    compact = models.ForeignKey(
        CompactVersion, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("版本")
    )

    class Meta(Correction.Meta):
        verbose_name = _("村规民约更正")
        verbose_name_plural = _("村规民约更正")
