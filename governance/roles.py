"""The three roles of DESIGN §1 and what each may do. The one place that answers "may this user write?"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TOWNSHIP_STAFF = "township", _("乡镇工作人员")
    COUNTY_OFFICIAL = "county", _("县级审核人员")
    ADMIN = "admin", _("系统管理员")


def can_edit_records(user) -> bool:
    """Township staff enter and change records, within their township only (scoping does the rest)."""
    return user.is_authenticated and user.is_active and user.role == Role.TOWNSHIP_STAFF


def may_write_for(user, township_id) -> bool:
    """The one answer to "may this user write this township's records?": its own township staff
    (a village's, a branch's owner's, a report's). Services refuse otherwise; pages hide the buttons."""
    return can_edit_records(user) and township_id is not None and user.township_id == township_id


def can_review(user) -> bool:
    """County officials approve and return submissions and edit reference data."""
    return user.is_authenticated and user.is_active and user.role == Role.COUNTY_OFFICIAL


def sees_everything(user) -> bool:
    """Admins (and superusers) read every county: they manage the whole deployment."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)
