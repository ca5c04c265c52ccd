"""An uploaded workbook waiting for (or past) its confirmation step.

The file lives in Django's default storage (``STORAGES["default"]``: the file system, or an
S3-compatible store on several servers), so the confirm request may land on another server than the
upload. A batch belongs to its uploader only: nobody else can preview or confirm it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ImportBatch(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        IMPORTED = "imported", _("已导入")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类别"), max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    township = models.ForeignKey(
        "villages.Township", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇（街道）")
    )
    # A generated name (imports/<uuid>.xlsx): the uploader's file name is kept as data only.
    file = models.FileField(_("文件"), upload_to="imports/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    created = models.PositiveIntegerField(_("新增"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["user", "kind", "sha256"], name="importbatch_user_kind_sha")]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"
