"""Training classes (培训班) and who attended them (DESIGN: the county trains every branch secretary,
committee director and stationed first secretary, 12+ classes a year).

- ``TrainingClass``: organised by a county (``township`` empty) or by one of its townships; dates,
  place, hours and the audience (which post kinds must attend).
- ``Attendance``: one per class and person: attended, or absent with a reason. Only a person of the
  class's county (``training.selectors.people_of_county``) may be recorded.
- ``TrainingTarget``: the county's yearly number of county classes (12 by default), a local policy
  with effective dates (``governance.policy``).

The 3512 reserve cadres' training records (formerly ``cadres.ReserveTraining``) are attendances of
classes with the audience 后备干部 (migration ``0002_reserve_trainings``): one kind of record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.policy import CountyPolicy
from governance.versioning import Versioned

MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("500")


class Audience(models.TextChoices):
    """The post kinds a class is meant for."""

    SECRETARY = "secretary", _("村党组织书记")
    DIRECTOR = "director", _("村委会主任")
    FIRST_SECRETARY = "first_secretary", _("驻村第一书记")
    RESERVE = "reserve", _("后备干部")
    OTHER = "other", _("其他两委成员")


class TrainingTarget(CountyPolicy):
    """How many classes the county itself should run a year. A year is judged by the row in force
    on its 1 January, like the 3512 quota."""

    classes_per_year = models.PositiveSmallIntegerField(
        _("每年县级培训班目标数"), default=12, validators=[MinValueValidator(0), MaxValueValidator(365)]
    )
    history = HistoricalRecords()

    value_fields = ("classes_per_year",)

    class Meta(CountyPolicy.Meta):
        verbose_name = _("培训班年度目标")
        verbose_name_plural = _("培训班年度目标")

    def __str__(self) -> str:
        return str(self.classes_per_year)

    @classmethod
    def for_year(cls, county, year: int) -> TrainingTarget:
        return cls.effective(county, on=dt.date(year, 1, 1))


class TrainingClass(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(
        "villages.County",
        on_delete=models.PROTECT,
        related_name="training_classes",
        verbose_name=_("县（市）"),
    )
    # Empty: the county organises the class; else the township of the county that does.
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="training_classes",
        null=True,
        blank=True,
        verbose_name=_("主办乡镇"),
    )
    title = models.CharField(_("培训班名称"), max_length=120)
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    place = models.CharField(_("培训地点"), max_length=120)
    hours = models.DecimalField(
        _("学时"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)],
    )
    audience = ArrayField(
        models.CharField(max_length=16, choices=Audience.choices), verbose_name=_("参训对象"), default=list
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["county", "start_date"], name="training_class_county_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="training_class_end_after_start",
                violation_error_message=_("结业日期不能早于开班日期。"),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=MIN_HOURS, hours__lte=MAX_HOURS),
                name="training_class_hours_range",
                violation_error_message=_("学时应在0.5到500之间。"),
            ),
            models.CheckConstraint(
                condition=Q(audience__len__gt=0),
                name="training_class_has_audience",
                violation_error_message=_("请至少选择一类参训对象。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} {self.title}"

    @property
    def organiser(self):
        return self.township or self.county

    @property
    def year(self) -> int:
        return self.start_date.year

    def audience_labels(self) -> list[str]:
        return [str(Audience(value).label) for value in self.audience if value in Audience.values]


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("参训")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("培训班")
    )
    person = models.ForeignKey(
        "cadres.Person", on_delete=models.PROTECT, related_name="training_attendances", verbose_name=_("人员")
    )
    status = models.CharField(_("出勤"), max_length=10, choices=AttendanceStatus.choices)
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        ordering = ["training_class", "person__name"]
        indexes = [
            models.Index(fields=["person", "status"], name="attendance_person_status"),
            # Who attended a year's classes (coverage) and a class's counts: the index alone.
            models.Index(
                fields=["training_class"],
                include=["person"],
                condition=Q(status="attended"),
                name="attendance_class_attended",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"],
                name="one_attendance_per_class_person",
                violation_error_message=_("该人员在本培训班已有出勤记录。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="absent") | ~Q(absence_reason=""),
                name="absent_attendance_has_reason",
                violation_error_message=_("缺席须填写原因。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["attended", "absent"]),
                name="attendance_status_known",
                violation_error_message=_("出勤情况无效。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.person}"
