"""Writes of village compacts: record a new version, attach a scan, correct a recorded version.

Every function is keyword-only, atomic and attributed. The rules (errors are the constants below):

- only the village's own township staff write (``governance.roles.may_write_for``);
- a new version is adopted **after** the village's latest version of the same kind (the date only
  moves forward; the same date is refused too, and the database refuses it as well);
- the adopted date is not in the future;
- the adopting matter, when given, is one of the same village that reached 决议 (resolved, its
  resolution disclosed, or its result disclosed), resolved on or before the adopted date;
- the text holds no ID or phone number (it is published: the model's validator
  ``governance.privacy.reject_personal``, run by ``save_checked``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compacts.models import CompactAttachment, CompactCorrection, CompactVersion, Kind
from decisions.models import Matter
from governance import attachments
from governance.corrections import changed_fields, nothing_to_correct, record_correction, require_reason
from governance.integrity import save_checked
from governance.roles import may_write_for
from governance.versioning import lock_for_update
from villages.models import Village

NOT_YOURS = gettext_noop("只有本乡镇的工作人员可以录入该村的村规民约和文明公约。")
NOT_AFTER_LATEST = gettext_noop(
    "本村现行%(kind)s于%(date)s通过：新版本的通过日期须晚于该日期，不能在较新的版本之后补录较早的版本。"
)
SAME_DATE = gettext_noop("本村已有%(date)s通过的%(kind)s版本。")
DATE_IN_FUTURE = gettext_noop("通过日期不能晚于今天。")
MATTER_OTHER_VILLAGE = gettext_noop("所选“四议两公开”事项不属于该村。")
MATTER_NOT_RESOLVED = gettext_noop("所选“四议两公开”事项尚未形成决议，不能作为通过依据。")
MATTER_AFTER_ADOPTION = gettext_noop("所选事项的决议日期（%(date)s）晚于通过日期。")
TEXT_REQUIRED = gettext_noop("请填写全文。")
CORRECT_BEFORE_PREVIOUS = gettext_noop("更正后的通过日期须晚于上一版本的通过日期（%(date)s）。")
CORRECT_AFTER_NEXT = gettext_noop("更正后的通过日期须早于下一版本的通过日期（%(date)s）。")
UNKNOWN_KIND = gettext_noop("类别无效。")

ATTACHMENT_MAX_SETTING = "COMPACTS_ATTACHMENT_MAX_BYTES"

# The states of a matter that has reached 决议 (and not been rejected).
ADOPTING_STATES = (Matter.State.RESOLVED, Matter.State.DISCLOSED, Matter.State.COMPLETED)


def _check_writer(user, village: Village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(_(NOT_YOURS))


def _check_text(text: str) -> str:
    """The stripped text; blank is refused here. An ID or phone number is refused by the model's
    validator (``governance.privacy.reject_personal``) when ``save_checked`` runs ``full_clean``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _(TEXT_REQUIRED)}, code="required")
    return text


def _check_date(adopted_on: dt.date) -> None:
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _(DATE_IN_FUTURE)}, code="future")


def check_matter(matter: Matter | None, *, village: Village, adopted_on: dt.date) -> None:
    """The adopting matter's rule (the same village, reached 决议, resolved by the adopted date)."""
    if matter is None:
        return
    if matter.village_id != village.pk:
        raise ValidationError({"matter": _(MATTER_OTHER_VILLAGE)}, code="matter_village")
    if matter.state not in ADOPTING_STATES or matter.resolved_on is None:
        raise ValidationError({"matter": _(MATTER_NOT_RESOLVED)}, code="matter_state")
    if matter.resolved_on > adopted_on:
        raise ValidationError(
            {"matter": _(MATTER_AFTER_ADOPTION) % {"date": f"{matter.resolved_on:%Y-%m-%d}"}},
            code="matter_date",
        )


def _ordering_check(village: Village, kind: str, adopted_on: dt.date):
    """The new version must come after the latest of its village and kind (re-run after a clash)."""
    label = Kind(kind).label

    def check():
        latest = CompactVersion.objects.filter(village=village, kind=kind).order_by("-adopted_on").first()
        if latest is None:
            return
        date = f"{latest.adopted_on:%Y-%m-%d}"
        if latest.adopted_on == adopted_on:
            raise ValidationError(
                {"adopted_on": _(SAME_DATE) % {"date": date, "kind": label}}, code="same_date"
            )
        if latest.adopted_on > adopted_on:
            raise ValidationError(
                {"adopted_on": _(NOT_AFTER_LATEST) % {"date": date, "kind": label}}, code="not_after_latest"
            )

    return check


def _lock_village(village: Village) -> None:
    """Serialise writes of one village's versions, so two new versions cannot both pass the
    ordering check."""
    Village.objects.select_for_update().filter(pk=village.pk).values_list("pk").first()


@transaction.atomic
def version_create(
    *,
    village: Village,
    user,
    kind: str,
    text: str,
    adopted_on: dt.date,
    matter: Matter | None = None,
    upload: UploadedFile | None = None,
) -> CompactVersion:
    """Record a new version of ``village``'s ``kind``: it becomes the current one."""
    _check_writer(user, village)
    if kind not in Kind.values:
        raise ValidationError({"kind": _(UNKNOWN_KIND)}, code="kind")
    text = _check_text(text)
    _check_date(adopted_on)
    check_matter(matter, village=village, adopted_on=adopted_on)
    if upload is not None:
        attachments.check_upload(upload, limit=attachments.max_bytes(ATTACHMENT_MAX_SETTING))
    _lock_village(village)
    recheck = _ordering_check(village, kind, adopted_on)
    recheck()
    version = CompactVersion(
        village=village, kind=kind, text=text, adopted_on=adopted_on, matter=matter, recorded_by=user
    )
    version._history_user = user
    save_checked(version, recheck=recheck)
    if upload is not None:
        _attach(
            version=version, user=user, title=_("%(kind)s文本") % {"kind": Kind(kind).label}, upload=upload
        )
    return version


def _attach(*, version: CompactVersion, user, title: str, upload: UploadedFile) -> CompactAttachment:
    attachment = CompactAttachment(compact=version, title=title, uploaded_by=user)
    attachments.store(attachment, upload, limit=attachments.max_bytes(ATTACHMENT_MAX_SETTING))
    attachment._history_user = user
    return save_checked(attachment)


@transaction.atomic
def version_attach(*, version: CompactVersion, user, title: str, upload: UploadedFile) -> CompactAttachment:
    """Add a scan or photo of the adopted text (type by content, size limit, generated name)."""
    _check_writer(user, version.village)
    return _attach(version=version, user=user, title=title, upload=upload)


@transaction.atomic
def version_correct(
    *, version: CompactVersion, user, record_version: int | None, text: str, adopted_on: dt.date, reason: str
) -> CompactCorrection:
    """Correct a recorded version's text or adopted date with a reason. The date stays between the
    previous and the next version of its village and kind, and after its matter's resolution."""
    _check_writer(user, version.village)
    reason = require_reason(reason)
    _lock_village(version.village)
    lock_for_update(version, version=record_version)
    text = _check_text(text)
    _check_date(adopted_on)
    siblings = CompactVersion.objects.filter(village=version.village, kind=version.kind).exclude(
        pk=version.pk
    )
    previous = siblings.filter(adopted_on__lt=version.adopted_on).order_by("-adopted_on").first()
    following = siblings.filter(adopted_on__gt=version.adopted_on).order_by("adopted_on").first()
    if previous is not None and adopted_on <= previous.adopted_on:
        raise ValidationError(
            {"adopted_on": _(CORRECT_BEFORE_PREVIOUS) % {"date": f"{previous.adopted_on:%Y-%m-%d}"}},
            code="order",
        )
    if following is not None and adopted_on >= following.adopted_on:
        raise ValidationError(
            {"adopted_on": _(CORRECT_AFTER_NEXT) % {"date": f"{following.adopted_on:%Y-%m-%d}"}},
            code="order",
        )
    check_matter(version.matter, village=version.village, adopted_on=adopted_on)
    changes = changed_fields(version, {"text": text, "adopted_on": adopted_on})
    if not changes:
        raise nothing_to_correct()
    version.text, version.adopted_on = text, adopted_on
    version._history_user = user
    save_checked(version)
    return record_correction(CompactCorrection(compact=version), user=user, reason=reason, changes=changes)
