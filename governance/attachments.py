"""Safe handling of uploaded attachments (scans and photos of minutes, notices, evidence).

One rule for every app that stores uploads (decisions' matters, standards' rule adoptions):

- the **content** decides the type (magic bytes of JPEG, PNG or PDF), never the file name or the
  browser's claim;
- an empty file and a file over the size limit are refused with a message on the ``upload`` field;
- the stored name is generated (``<uuid>.<ext>``): the uploader's file name never reaches the file
  system (it is kept, cut to 120 characters, as data only);
- files are served only through a view that found the attachment through a scoped selector
  (``download_response``), as a download with ``nosniff``; ``MEDIA_ROOT`` is never exposed.

A concrete attachment model inherits ``AttachmentBase`` and adds its parent key, its ``file``
field (its own ``upload_to``) and its history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

BAD_TYPE = gettext_noop("附件只能是JPEG、PNG图片或PDF文件。")
TOO_LARGE = gettext_noop("附件不能超过%(limit)s MB。")
EMPTY = gettext_noop("附件是空文件。")


class FileType(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    PDF = "pdf", "PDF"


# Magic bytes of the accepted file types: the content decides, never the name or the browser's claim.
SIGNATURES = (
    (b"\xff\xd8\xff", FileType.JPEG, "jpg"),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG, "png"),
    (b"%PDF-", FileType.PDF, "pdf"),
)
CONTENT_TYPES = {FileType.JPEG: "image/jpeg", FileType.PNG: "image/png", FileType.PDF: "application/pdf"}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(file type, extension) of a file starting with ``head``, or None when it is none of ours."""
    for signature, file_type, extension in SIGNATURES:
        if head.startswith(signature):
            return file_type, extension
    return None


def max_bytes(setting_name: str) -> int:
    """The size limit: ``settings.<setting_name>`` if set, else 10 MB."""
    return getattr(settings, setting_name, DEFAULT_MAX_BYTES)


def check_upload(upload: UploadedFile, *, limit: int, field: str = "upload") -> tuple[str, str]:
    """(file type, extension) of an acceptable upload; a ValidationError on ``field`` otherwise."""
    if upload.size == 0:
        raise ValidationError({field: _(EMPTY)}, code="empty")
    if upload.size > limit:
        raise ValidationError({field: _(TOO_LARGE) % {"limit": limit // (1024 * 1024)}}, code="size")
    upload.seek(0)
    sniffed = sniff(upload.read(16))
    upload.seek(0)
    if sniffed is None:
        raise ValidationError({field: _(BAD_TYPE)}, code="type")
    return sniffed


def generated_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def store(attachment: AttachmentBase, upload: UploadedFile, *, limit: int, field: str = "upload") -> None:
    """Check ``upload`` and put it on ``attachment`` (type, size, original name, file under a generated
    name). The caller saves the row (``save_checked``) inside its transaction."""
    file_type, extension = check_upload(upload, limit=limit, field=field)
    attachment.file_type = file_type
    attachment.size = upload.size
    attachment.original_name = (upload.name or "")[-120:]
    attachment.file.save(generated_name(extension), upload, save=False)


def download_response(attachment: AttachmentBase) -> FileResponse:
    """The file as a download. ``attachment`` must come from a scoped selector (404 outside the
    user's jurisdiction); the browser is told not to guess another type."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=CONTENT_TYPES[attachment.file_type],
        as_attachment=True,
        filename=f"{attachment.title}.{attachment.file.name.rsplit('.', 1)[-1]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentBase(models.Model):
    """Fields every attachment shares. The stored name is generated, never the uploader's."""

    FileType = FileType

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(gettext_lazy("说明"), max_length=80)
    file_type = models.CharField(gettext_lazy("文件类型"), max_length=8, choices=FileType.choices)
    size = models.PositiveIntegerField(gettext_lazy("大小（字节）"))
    original_name = models.CharField(gettext_lazy("原文件名"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("上传人"),
    )
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title
