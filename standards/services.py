"""Writes of 六个标准化: the rule catalogue, adoptions with evidence, and the yearly review.

Every function is keyword-only, atomic and attributed (history rows carry the acting user through
simple_history's request middleware or ``_history_user``). Errors are the constants below.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance import attachments
from governance.integrity import save_checked
from governance.roles import Role, can_review, may_write_for
from governance.versioning import lock_for_update
from standards.models import NOTE_FIELDS, SCORE_FIELDS, Adoption, AdoptionAttachment, Area, Review, Rule

RULE_NOT_YOURS = gettext_noop("只能编辑本县（市）的规范目录。")
RULE_RETIRED = gettext_noop("该规范已停用。")
ADOPTION_NOT_YOURS = gettext_noop("只有本乡镇的工作人员可以录入该村的规范采纳。")
ADOPTION_RETIRED_RULE = gettext_noop("规范“%(code)s”已停用，不能采纳。")
ADOPTION_OTHER_COUNTY = gettext_noop("规范“%(code)s”不属于该村所在县（市）的目录。")
ADOPTION_DUPLICATE = gettext_noop("该村已采纳规范“%(code)s”。")
ADOPTION_NO_RULES = gettext_noop("请至少选择一条规范。")
EVIDENCE_REQUIRED = gettext_noop("请填写佐证说明或上传佐证材料。")
DATE_IN_FUTURE = gettext_noop("日期不能晚于今天。")
REVIEW_NOT_YOURS = gettext_noop("只有本乡镇的工作人员可以录入该党组织的考评。")
REVIEW_DUPLICATE = gettext_noop(
    "%(branch)s的%(year)s年度六个标准化考评已经录入，不能重复录入；请在原记录上修改。"
)
REVIEW_LOCKED = gettext_noop("只有草稿或已退回的考评可以修改，当前状态：%(state)s。")
SUBMIT_WRONG_STATE = gettext_noop("只有草稿或已退回的考评可以提交，当前状态：%(state)s。")
CONFIRM_WRONG_STATE = gettext_noop("只有已提交的考评可以确认，当前状态：%(state)s。")
RETURN_WRONG_STATE = gettext_noop("只有已提交的考评可以退回，当前状态：%(state)s。")
RETURN_REASON_REQUIRED = gettext_noop("请填写退回原因。")
REVIEW_FUTURE_YEAR = gettext_noop("不能录入未来年度的考评。")
REVIEW_OTHER_COUNTY = gettext_noop("只能确认或退回本县（市）的考评。")

ATTACHMENT_MAX_SETTING = "STANDARDS_ATTACHMENT_MAX_BYTES"


# ---------------------------------------------------------------- catalogue


def _check_rule_editor(user, county_id: int) -> None:
    """County officials edit their own county's catalogue; admins (the Django admin) every county."""
    if user.is_superuser or user.role == Role.ADMIN:
        return
    if not (can_review(user) and user.county_id == county_id):
        raise PermissionDenied(_(RULE_NOT_YOURS))


@transaction.atomic
def rule_create(*, user, county, area: str, code: str, title: str, is_example: bool = False) -> Rule:
    _check_rule_editor(user, county.pk)
    rule = Rule(county=county, area=area, code=code.strip(), title=title.strip(), is_example=is_example)
    rule._history_user = user
    return save_checked(rule)


@transaction.atomic
def rule_update(
    *, rule: Rule, user, version: int | None, area: str, code: str, title: str, is_example: bool
) -> Rule:
    _check_rule_editor(user, rule.county_id)
    lock_for_update(rule, version=version)
    if not rule.is_active:
        raise ValidationError(_(RULE_RETIRED), code="retired")
    rule.area, rule.code, rule.title, rule.is_example = area, code.strip(), title.strip(), is_example
    rule._history_user = user
    return save_checked(rule)


@transaction.atomic
def rule_retire(*, rule: Rule, user, on: dt.date | None = None) -> Rule:
    """Take a rule out of the catalogue (and out of compliance) from ``on`` (today); its adoptions
    and history stay."""
    _check_rule_editor(user, rule.county_id)
    lock_for_update(rule, version=None)
    if not rule.is_active:
        raise ValidationError(_(RULE_RETIRED), code="retired")
    rule.retired_on = on or timezone.localdate()
    rule._history_user = user
    return save_checked(rule)


# ---------------------------------------------------------------- adoptions


def _check_village_editor(user, village) -> None:
    if not may_write_for(user, village.township_id):
        raise PermissionDenied(_(ADOPTION_NOT_YOURS))


def _check_date(value: dt.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _(DATE_IN_FUTURE)}, code="future")


@transaction.atomic
def adoptions_record(
    *,
    village,
    user,
    rules: list[Rule],
    adopted_on: dt.date,
    note: str = "",
    upload: UploadedFile | None = None,
) -> list[Adoption]:
    """Mark ``rules`` adopted by ``village`` on ``adopted_on``, each with the evidence ``note``
    and/or a copy of ``upload``. All or nothing."""
    _check_village_editor(user, village)
    note = (note or "").strip()
    if not rules:
        raise ValidationError({"rules": _(ADOPTION_NO_RULES)}, code="no_rules")
    if not note and upload is None:
        raise ValidationError({"note": _(EVIDENCE_REQUIRED)}, code="evidence")
    _check_date(adopted_on, "adopted_on")
    if upload is not None:
        attachments.check_upload(upload, limit=attachments.max_bytes(ATTACHMENT_MAX_SETTING))
    county_id = village.township.county_id
    taken = set(Adoption.objects.filter(village=village).values_list("rule_id", flat=True))
    for rule in rules:
        if rule.county_id != county_id:
            raise ValidationError({"rules": _(ADOPTION_OTHER_COUNTY) % {"code": rule.code}}, code="county")
        if not rule.is_active:
            raise ValidationError({"rules": _(ADOPTION_RETIRED_RULE) % {"code": rule.code}}, code="retired")
        if rule.pk in taken:
            raise ValidationError({"rules": _(ADOPTION_DUPLICATE) % {"code": rule.code}}, code="duplicate")
    created = []
    for rule in rules:
        adoption = Adoption(village=village, rule=rule, adopted_on=adopted_on, note=note, recorded_by=user)
        adoption._history_user = user
        save_checked(adoption)
        if upload is not None:
            _attach(adoption=adoption, user=user, title=_("佐证材料"), upload=upload)
        created.append(adoption)
    return created


@transaction.atomic
def adoption_update(
    *, adoption: Adoption, user, version: int | None, adopted_on: dt.date, note: str
) -> Adoption:
    _check_village_editor(user, adoption.village)
    lock_for_update(adoption, version=version)
    _check_date(adopted_on, "adopted_on")
    note = (note or "").strip()
    if not note and not adoption.attachments.exists():
        raise ValidationError({"note": _(EVIDENCE_REQUIRED)}, code="evidence")
    adoption.adopted_on, adoption.note = adopted_on, note
    adoption._history_user = user
    return save_checked(adoption)


def _attach(*, adoption: Adoption, user, title: str, upload: UploadedFile) -> AdoptionAttachment:
    attachment = AdoptionAttachment(adoption=adoption, title=title, uploaded_by=user)
    attachments.store(attachment, upload, limit=attachments.max_bytes(ATTACHMENT_MAX_SETTING))
    attachment._history_user = user
    return save_checked(attachment)


@transaction.atomic
def adoption_attach(*, adoption: Adoption, user, title: str, upload: UploadedFile) -> AdoptionAttachment:
    """Add a scan or photo as evidence (type by content, size limit, generated name)."""
    _check_village_editor(user, adoption.village)
    return _attach(adoption=adoption, user=user, title=title, upload=upload)


# ---------------------------------------------------------------- reviews


def _check_branch_editor(user, branch) -> None:
    if not may_write_for(user, branch.township_id):
        raise PermissionDenied(_(REVIEW_NOT_YOURS))


def _set_scores(review: Review, data: dict) -> None:
    for area in Area:
        setattr(review, SCORE_FIELDS[area], data[SCORE_FIELDS[area]])
        setattr(review, NOTE_FIELDS[area], (data[NOTE_FIELDS[area]] or "").strip())
    review.assessor = (data["assessor"] or "").strip()
    review.total = review.mean_score()


def _duplicate_check(branch, year: int, *, exclude_pk=None):
    def check():
        others = Review.objects.filter(branch=branch, year=year).exclude(pk=exclude_pk)
        if others.exists():
            raise ValidationError(
                {"year": _(REVIEW_DUPLICATE) % {"branch": branch.name, "year": year}}, code="duplicate"
            )

    return check


@transaction.atomic
def review_create(*, branch, year: int, user, data: dict) -> Review:
    """A draft review of ``branch`` for ``year`` (one per branch and year)."""
    _check_branch_editor(user, branch)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _(REVIEW_FUTURE_YEAR)}, code="future")
    recheck = _duplicate_check(branch, year)
    recheck()
    review = Review(branch=branch, year=year, created_by=user)
    _set_scores(review, data)
    review._history_user = user
    return save_checked(review, recheck=recheck)


@transaction.atomic
def review_update(*, review: Review, user, version: int | None, data: dict) -> Review:
    _check_branch_editor(user, review.branch)
    lock_for_update(review, version=version)
    if not review.is_editable:
        raise ValidationError(_(REVIEW_LOCKED) % {"state": review.get_state_display()}, code="locked")
    _set_scores(review, data)
    review._history_user = user
    return save_checked(review)


def _locked(review: Review) -> Review:
    """``review`` re-read under a row lock, so two transitions never both pass their state check."""
    current = Review.objects.select_for_update().get(pk=review.pk)
    review.state, review.version = current.state, current.version + 1
    return review


@transaction.atomic
def review_submit(*, review: Review, user) -> Review:
    """draft or returned → submitted (a returned review is edited first, then submitted again)."""
    _check_branch_editor(user, review.branch)
    _locked(review)
    if not review.is_editable:
        raise ValidationError(_(SUBMIT_WRONG_STATE) % {"state": review.get_state_display()}, code="state")
    review.state = Review.State.SUBMITTED
    review.submitted_at = timezone.now()
    review._history_user = user
    return save_checked(review)


def _check_reviewer(user, review: Review) -> None:
    if not can_review(user):
        raise PermissionDenied
    if user.county_id != review.branch.township.county_id:
        raise PermissionDenied(_(REVIEW_OTHER_COUNTY))


@transaction.atomic
def review_confirm(*, review: Review, user) -> Review:
    """submitted → confirmed, by a county official of the branch's county."""
    _check_reviewer(user, review)
    _locked(review)
    if review.state != Review.State.SUBMITTED:
        raise ValidationError(_(CONFIRM_WRONG_STATE) % {"state": review.get_state_display()}, code="state")
    review.state = Review.State.CONFIRMED
    review.confirmed_at = timezone.now()
    review.confirmed_by = user
    review.return_reason = ""
    review._history_user = user
    return save_checked(review)


@transaction.atomic
def review_return(*, review: Review, user, reason: str) -> Review:
    """submitted → returned with a reason; the township edits and submits again."""
    _check_reviewer(user, review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(RETURN_REASON_REQUIRED)}, code="reason")
    _locked(review)
    if review.state != Review.State.SUBMITTED:
        raise ValidationError(_(RETURN_WRONG_STATE) % {"state": review.get_state_display()}, code="state")
    review.state = Review.State.RETURNED
    review.return_reason = reason
    review._history_user = user
    return save_checked(review)
