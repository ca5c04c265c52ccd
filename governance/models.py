"""Accounts: one user model with a role and one jurisdiction (DESIGN §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.roles import Role


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.TOWNSHIP_STAFF)
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("所属乡镇"),
        help_text=_("乡镇工作人员必填。"),
    )
    county = models.ForeignKey(
        "villages.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("所属县（市）"),
        help_text=_("县级审核人员必填。"),
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = PortalUserManager()
    # Password hashes and login times are not audit material.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # One jurisdiction per user, of the kind the role needs.
            models.CheckConstraint(
                condition=(
                    Q(role=Role.TOWNSHIP_STAFF, township__isnull=False, county__isnull=True)
                    | Q(role=Role.COUNTY_OFFICIAL, county__isnull=False, township__isnull=True)
                    | Q(role=Role.ADMIN, township__isnull=True)
                ),
                name="user_role_matches_jurisdiction",
                violation_error_message=_(
                    "乡镇工作人员须指定所属乡镇，县级审核人员须指定所属县（市），二者不能同时填写。"
                ),
            )
        ]

    def save(self, *args, **kwargs):
        # A login saves only last_login (django.contrib.auth's update_last_login): not a change of
        # the account, so no history row. Any other save is recorded as usual.
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    @property
    def jurisdiction(self):
        """The township or county this user works for; None for admins (everything)."""
        return self.township or self.county

    @property
    def jurisdiction_county(self):
        if self.township_id:
            return self.township.county
        return self.county


class Submission(models.Model):
    """A POST form's one-time token, claimed when it is carried out (governance.submissions).
    Not a record of the portal: no history."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self) -> str:
        return str(self.token)


class FigureNumber(models.Model):
    """One row per table of the portal's apps, whose ``number`` PostgreSQL raises when a transaction
    that changed the table commits (governance/figures.py): cached dashboard figures are keyed by the
    numbers of the tables they read, so no server serves a figure older than the last committed
    write. A row per table, not one row for all: writers of different tables do not queue on one
    row, and a small row is updated in place. Not a record of the portal: no history."""

    table_name = models.CharField(max_length=63, primary_key=True)
    number = models.BigIntegerField()

    class Meta:
        verbose_name = _("统计版本")
        verbose_name_plural = _("统计版本")

    def __str__(self) -> str:
        return f"{self.table_name}: {self.number}"


class SharedFigure(models.Model):
    """The last computed value of one figure for one scope (``slot``), shared by every server process
    (governance/figures.py): the tables it read and their numbers then. A process that finds it with
    the numbers unchanged takes it instead of computing it again. An UNLOGGED table (migration 0005):
    a cache, not a record; emptied by a crash, never replicated; no history."""

    slot = models.CharField(max_length=40, primary_key=True)
    reads = models.JSONField()
    stamps = models.JSONField()
    value = models.JSONField()
    made_at = models.DateTimeField()

    class Meta:
        verbose_name = _("共享统计")
        verbose_name_plural = _("共享统计")

    def __str__(self) -> str:
        return self.slot
