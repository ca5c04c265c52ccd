"""Village affairs supervision reports (DESIGN §5): periods, reports, rectification items, reminders.

Design for province scale (1.6 M monthly reports): a report points at a ``ReportingPeriod`` row
(kind, year, number, due date, deadline) and at the township it was made for, so completeness and
timeliness per township and period are one ``GROUP BY township`` over the index
``(period, township)``, with "on time" a plain comparison ``first_submitted_at < period.deadline``.
"""

from __future__ import annotations

import calendar
import copy as copy_module
import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.corrections import Correction
from governance.fields import year_in_range
from governance.policy import CountyPolicy
from governance.versioning import Versioned


class Kind(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季度汇总")
    ANNUAL = "annual", _("年度述职")


class Area(models.TextChoices):
    """The supervised areas of DESIGN §5; each is one section of a report."""

    DECISIONS = "decisions", _("决策与公开")
    FINANCES = "finances", _("村级财务与资产")
    PROJECTS = "projects", _("工程项目")
    BENEFITS = "benefits", _("惠民政策")
    INTEGRITY = "integrity", _("党风廉政")


# Report field holding each area's findings, in display order.
AREA_FIELDS = {
    Area.DECISIONS: "findings_decisions",
    Area.FINANCES: "findings_finances",
    Area.PROJECTS: "findings_projects",
    Area.BENEFITS: "findings_benefits",
    Area.INTEGRITY: "findings_integrity",
}


class ReportingPolicy(CountyPolicy):
    """The configurable reporting calendar (DESIGN §5 defaults), per county from a date (see
    ``governance.policy``); edited by county officials on /settings/ and by admins.

    A period takes each county's due and lock dates from the row in force on the period's first day;
    they are kept with the period (``ReportingPeriod`` for the default, ``PeriodDeadline`` for a
    county whose calendar differs), so a later change never rewrites a report's timeliness.
    """

    monthly_due_day = models.PositiveSmallIntegerField(_("月报截止日（次月几日）"), default=5)
    quarterly_due_day = models.PositiveSmallIntegerField(_("季度汇总截止日（季后首月几日）"), default=10)
    annual_due_month = models.PositiveSmallIntegerField(_("年度述职截止月（次年）"), default=1)
    annual_due_day = models.PositiveSmallIntegerField(_("年度述职截止日"), default=31)
    lock_after_days = models.PositiveSmallIntegerField(_("截止后锁定天数"), default=30)
    remind_before_days = models.PositiveSmallIntegerField(_("截止前提醒天数"), default=3)
    escalate_after_days = models.PositiveSmallIntegerField(_("逾期多少天后提醒县级"), default=10)
    reminder_lookback_days = models.PositiveSmallIntegerField(
        _("提醒回溯天数"), default=60, help_text=_("截止日期早于此天数的期次不再提醒。")
    )
    history = HistoricalRecords()

    value_fields = (
        "monthly_due_day",
        "quarterly_due_day",
        "annual_due_month",
        "annual_due_day",
        "lock_after_days",
        "remind_before_days",
        "escalate_after_days",
        "reminder_lookback_days",
    )
    calendar_fields = value_fields[:5]

    class Meta(CountyPolicy.Meta):
        verbose_name = _("报送日历设置")
        verbose_name_plural = _("报送日历设置")
        constraints = [
            *CountyPolicy.Meta.constraints,
            models.CheckConstraint(
                condition=Q(monthly_due_day__gte=1, monthly_due_day__lte=28)
                & Q(quarterly_due_day__gte=1, quarterly_due_day__lte=28)
                & Q(annual_due_month__gte=1, annual_due_month__lte=12)
                & Q(annual_due_day__gte=1, annual_due_day__lte=31),
                name="reporting_policy_valid_days",
                violation_error_message=_("截止日应为有效日期（月报、季报截止日为1-28日）。"),
            ),
        ]

    def __str__(self) -> str:
        return str(_("报送日历设置"))

    def clean(self):
        errors = {}
        for name, low, high in (
            ("monthly_due_day", 1, 28),
            ("quarterly_due_day", 1, 28),
            ("annual_due_month", 1, 12),
        ):
            value = getattr(self, name)
            if value is not None and not low <= value <= high:
                errors[name] = _("应在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high}
        if errors:
            raise ValidationError(errors)
        try:
            dt.date(2001, self.annual_due_month, self.annual_due_day)
        except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: a day of 10**20
            raise ValidationError({"annual_due_day": _("年度述职截止日不是有效日期。")}) from exc


def local_day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the portal's time zone (Asia/Shanghai).

    "On time" means submitted by 23:59:59 local time on the due date, i.e. strictly before this.
    """
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


class ReportingPeriod(models.Model):
    """One reporting period of one kind (2026年10月, 2026年第3季度, 2026年度) and its calendar."""

    kind = models.CharField(_("报告类型"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期次"), help_text=_("月份 1-12、季度 1-4，年度为 1。"))
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"))
    due_date = models.DateField(_("截止日期"))
    # Derived from due_date in save(): the instant the period becomes late (next local midnight).
    deadline = models.DateTimeField(_("截止时刻"), editable=False)
    locks_on = models.DateField(_("锁定日期"), help_text=_("此日之后乡镇不能再新建、修改或提交本期报告。"))
    # Some county has its own dates for this period (a ``PeriodDeadline`` row): pages reading one
    # village's dates skip that lookup when none has (the common case of one calendar).
    county_calendars = models.BooleanField(_("有县级截止日期"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送期次")
        verbose_name_plural = _("报送期次")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="one_period_per_kind_year_number",
                violation_error_message=_("该期次已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(kind="monthly", number__gte=1, number__lte=12)
                | Q(kind="quarterly", number__gte=1, number__lte=4)
                | Q(kind="annual", number=1),
                name="period_number_in_range",
                violation_error_message=_("期次超出范围。"),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gt=F("end")) & Q(locks_on__gte=F("due_date")),
                name="period_due_after_end_lock_after_due",
                violation_error_message=_("截止日期应晚于期末，锁定日期不能早于截止日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "start"], name="period_kind_start"),
            # The report list's order (latest period first): its top page is read period by period.
            models.Index(fields=["-end", "kind"], name="period_end_kind"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        # One-row rule: the deadline instant always follows the (editable) due date.
        self.deadline = local_day_end(self.due_date)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """2026年10月, 2026年第3季度, 2026年度 in Chinese; October 2026, Q3 2026, 2026 in English.

        A month is the locale's year-month format (Django's ``YEAR_MONTH_FORMAT``: ``Y年n月`` /
        ``F Y``); quarters and years go through the catalogue."""
        if self.kind == Kind.MONTHLY:
            try:
                return date_format(dt.date(self.year, self.number, 1), "YEAR_MONTH_FORMAT")
            except (ValueError, OverflowError):  # an impossible period typed in the admin, before clean()
                return f"{self.year}-{self.number}"
        if self.kind == Kind.QUARTERLY:
            return gettext("%(year)s年第%(number)s季度") % {"year": self.year, "number": self.number}
        return gettext("%(year)s年度") % {"year": self.year}

    @property
    def title(self) -> str:
        """What a person calls the report of this period: 2026年10月月报, 2026年第3季度汇总, 2026年度述职
        (October 2026 monthly report, Q3 2026 quarterly summary, 2026 annual duty report)."""
        if self.kind == Kind.QUARTERLY:
            return gettext("%(period)s汇总") % {"period": self.label}
        if self.kind == Kind.ANNUAL:
            return gettext("%(period)s述职") % {"period": self.label}
        return gettext("%(period)s月报") % {"period": self.label}

    @property
    def key(self) -> str:
        """URL/filter key: ``2026-10`` (month), ``2026-Q3`` (quarter), ``2026`` (year)."""
        if self.kind == Kind.MONTHLY:
            return f"{self.year}-{self.number:02d}"
        if self.kind == Kind.QUARTERLY:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    def is_locked(self, on: dt.date) -> bool:
        return on > self.locks_on

    def for_county(self, county_id, deadlines: dict | None = None) -> ReportingPeriod:
        """This period with ``county_id``'s own due, deadline and lock dates (a copy; the default
        dates when the county has no ``PeriodDeadline``). ``deadlines``: ``{(period_id,
        county_id): PeriodDeadline}`` already read, else one query (once per period and county)."""
        if not county_id or getattr(self, "county_id", None) == county_id:
            return self
        cache = self.__dict__.setdefault("_for_county", {})
        if county_id in cache:
            return cache[county_id]
        if not self.pk:  # not created yet: the dates it would be created with for the county
            row = ReportingPeriod.build(
                self.kind, self.year, self.number, ReportingPolicy.effective(county_id, on=self.start)
            )
        elif not self.county_calendars:
            row = None
        elif deadlines is None:
            row = PeriodDeadline.objects.filter(period_id=self.pk, county_id=county_id).first()
        else:
            row = deadlines.get((self.pk, county_id))
        cache[county_id] = self._with_dates(row, county_id)
        return cache[county_id]

    def for_village(self, village) -> ReportingPeriod:
        """``for_county`` for the village's county, reading the township only when it is loaded."""
        township = village._state.fields_cache.get("township")
        if township is not None or not self.pk:
            return self.for_county(village.township.county_id)
        if not self.county_calendars:
            return self
        cache = self.__dict__.setdefault("_for_village", {})
        if village.pk not in cache:
            county = village.__class__.objects.filter(pk=village.pk).values("township__county_id")[:1]
            row = PeriodDeadline.objects.filter(period_id=self.pk, county_id=models.Subquery(county)).first()
            cache[village.pk] = self._with_dates(row, row.county_id if row else None)
        return cache[village.pk]

    def _with_dates(self, row, county_id) -> ReportingPeriod:
        copy = copy_module.copy(self)
        copy.__dict__.pop("_for_county", None)
        copy.__dict__.pop("_for_village", None)
        copy.county_id = county_id
        if row is not None:
            copy.due_date, copy.deadline, copy.locks_on = row.due_date, row.deadline, row.locks_on
        return copy

    @staticmethod
    def bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
        if kind == Kind.MONTHLY:
            return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])
        if kind == Kind.QUARTERLY:
            first = 3 * (number - 1) + 1
            last = first + 2
            return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)

    @classmethod
    def build(
        cls, kind: str, year: int, number: int, policy: ReportingPolicy | None = None
    ) -> ReportingPeriod:
        """An unsaved period with the calendar of ``policy`` (default: the deployment default in
        force on the period's first day)."""
        start, end = cls.bounds(kind, year, number)
        policy = policy or ReportingPolicy.effective(None, on=start)
        after = end + dt.timedelta(days=1)
        if kind == Kind.MONTHLY:
            due = after.replace(day=policy.monthly_due_day)
        elif kind == Kind.QUARTERLY:
            due = after.replace(day=policy.quarterly_due_day)
        else:
            due = dt.date(year + 1, policy.annual_due_month, policy.annual_due_day)
        period = cls(
            kind=kind,
            year=year,
            number=number,
            start=start,
            end=end,
            due_date=due,
            locks_on=due + dt.timedelta(days=policy.lock_after_days),
        )
        period.deadline = local_day_end(due)
        return period

    @classmethod
    def parse_key(cls, key: str) -> tuple[str, int, int] | None:
        """``2026-10`` / ``2026-Q3`` / ``2026`` → (kind, year, number); None when malformed or when
        the year is outside the years records are kept for (``0000-01`` and ``9999-12`` included)."""
        try:
            if len(key) == 4:
                kind, year, number = Kind.ANNUAL, int(key), 1
            else:
                year_text, rest = key.split("-", 1)
                if rest.upper().startswith("Q"):
                    number, kind = int(rest[1:]), Kind.QUARTERLY
                    limit = 4
                else:
                    number, kind = int(rest), Kind.MONTHLY
                    limit = 12
                if not (1 <= number <= limit) or len(year_text) != 4:
                    return None
                year = int(year_text)
        except ValueError:
            return None
        return (kind, year, number) if year_in_range(year) else None


class PeriodDeadline(models.Model):
    """A county's own due and lock dates for a period, when its calendar differs from the default.

    Written when the period is created (or when a county schedules a calendar change before any
    report of a later period exists); never rewritten afterwards, so a report due under the old
    calendar keeps its timeliness. No row: the county follows the period's own (default) dates.
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="county_deadlines", verbose_name=_("期次")
    )
    county = models.ForeignKey(
        "villages.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("县")
    )
    due_date = models.DateField(_("截止日期"))
    deadline = models.DateTimeField(_("截止时刻"), editable=False)
    locks_on = models.DateField(_("锁定日期"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("县报送截止日期")
        verbose_name_plural = _("县报送截止日期")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "county"],
                name="one_deadline_per_period_county",
                violation_error_message=_("该县在此期次已有截止日期。"),
            ),
            models.CheckConstraint(
                condition=Q(locks_on__gte=F("due_date")),
                name="period_deadline_lock_after_due",
                violation_error_message=_("锁定日期不能早于截止日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.county_id}"

    def save(self, *args, **kwargs):
        self.deadline = local_day_end(self.due_date)
        super().save(*args, **kwargs)


class Report(Versioned):  # optimistic concurrency: see governance.versioning
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="supervision_reports",
        verbose_name=_("村（社区）"),
    )
    # The township the report was made for (DESIGN §2: records keep pointing at their unit); also
    # what makes per-township completeness an index-only GROUP BY at province scale.
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        related_name="supervision_reports",
        verbose_name=_("乡镇（街道）"),
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("报送期次")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The village's discipline-inspection member / supervision committee chair ([2/7]'s posts).
    reporter = models.ForeignKey(
        "cadres.Person",
        on_delete=models.SET_NULL,
        related_name="supervision_reports",
        null=True,
        blank=True,
        verbose_name=_("报告人"),
    )
    findings_decisions = models.TextField(_("决策与公开"), blank=True)
    findings_finances = models.TextField(_("村级财务与资产"), blank=True)
    findings_projects = models.TextField(_("工程项目"), blank=True)
    findings_benefits = models.TextField(_("惠民政策"), blank=True)
    findings_integrity = models.TextField(_("党风廉政"), blank=True)
    summary = models.TextField(_("总体情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("填报人账号"),
    )
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    # Required only when the report is submitted before its period has ended (supervision/rules.py).
    early_reason = models.TextField(_("提前提交原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督报告")
        verbose_name_plural = _("监督报告")
        ordering = ["-period__start", "village__code"]
        constraints = [
            # Period rows are per kind, so this is "one report per village, period and kind".
            models.UniqueConstraint(
                fields=["village", "period"],
                name="one_report_per_village_period",
                violation_error_message=_("该村本期已有报告。"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False, submitted_at__isnull=False),
                name="report_submitted_has_time",
                violation_error_message=_("已提交的报告须有提交时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="report_returned_has_reason",
                violation_error_message=_("退回须填写原因。"),
            ),
        ]
        indexes = [
            # Covering: the county table counts submitted / on-time reports from the index alone.
            models.Index(
                fields=["period", "township"],
                include=["first_submitted_at", "status"],
                name="report_period_township",
            ),
            models.Index(fields=["township", "period"], name="report_township_period"),
            models.Index(fields=["status", "period"], name="report_status_period"),
            # The reports never submitted (drafts): with ReportTally's submitted ones, the list's count.
            models.Index(
                fields=["township"],
                condition=Q(first_submitted_at__isnull=True),
                name="report_never_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.period.title}"

    @property
    def is_submitted(self) -> bool:
        return self.first_submitted_at is not None

    @property
    def is_late(self) -> bool:
        """Late: first submitted after the deadline, or still not submitted once it has passed."""
        if self.first_submitted_at is not None:
            return self.first_submitted_at >= self.period.deadline
        return timezone.now() >= self.period.deadline

    def findings(self) -> list[tuple[str, str, str]]:
        """(area, label, text) for each section, in display order."""
        return [(area.value, area.label, getattr(self, field)) for area, field in AREA_FIELDS.items()]


class Rectification(models.Model):
    """A problem found and its rectification (整改). It stays on the village's later reports until a
    report closes it; ``closed_in`` is the report where it was closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已销号")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("村（社区）"),
    )
    opened_in = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="opened_items", verbose_name=_("发现于报告")
    )
    area = models.CharField(_("监督事项"), max_length=12, choices=Area.choices)
    problem = models.TextField(_("发现的问题"))
    responsible = models.CharField(_("整改责任人"), max_length=40)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(_("销号说明"), blank=True)
    closed_in = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        related_name="closed_items",
        null=True,
        blank=True,
        verbose_name=_("销号于报告"),
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["found_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("found_on")),
                name="rectification_deadline_after_finding",
                violation_error_message=_("整改期限不能早于发现日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_in__isnull=True, closed_on__isnull=True)
                | (
                    Q(status="closed", closed_in__isnull=False, closed_on__isnull=False) & ~Q(closing_note="")
                ),
                name="rectification_closed_has_report_and_note",
                violation_error_message=_("销号须记录所在报告、日期和说明。"),
            ),
        ]
        indexes = [models.Index(fields=["village", "status"], name="rectification_village_status")]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.localdate() > self.deadline


class RectificationCorrection(Correction):
    """A correction of a recorded rectification item by its township, with the reason (更正).

    The item's own history keeps every version; this row says who corrected what, when and why,
    and whether the report that found it had already been approved (shown to county officials)."""

    corrected_model = Rectification
    item = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("整改事项")
    )

    class Meta(Correction.Meta):
        verbose_name = _("整改事项更正")
        verbose_name_plural = _("整改事项更正")

    def __str__(self) -> str:
        return f"{self.item} {self.corrected_at:%Y-%m-%d}"


class ReportCorrection(Correction):
    """A correction of an approved report's content by its township, with the reason (更正). The
    report stays approved; county officials see the correction on the report page."""

    corrected_model = Report
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("监督报告")
    )

    class Meta(Correction.Meta):
        verbose_name = _("监督报告更正")
        verbose_name_plural = _("监督报告更正")

    def __str__(self) -> str:
        return f"{self.report} {self.corrected_at:%Y-%m-%d}"


class LockException(models.Model):
    """A county official reopening a locked period for one village."""

    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="supervision_exceptions",
        verbose_name=_("村（社区）"),
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="exceptions", verbose_name=_("报送期次")
    )
    reason = models.TextField(_("开放原因"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("开放人")
    )
    created_at = models.DateTimeField(_("开放时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("锁定例外")
        verbose_name_plural = _("锁定例外")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "period"],
                name="one_exception_per_village_period",
                violation_error_message=_("该村本期已开放例外。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.period}"


class ExceptionRequest(models.Model):
    """A township asking the county to reopen a locked period for one village (申请开放).

    requested → granted (the county official's grant creates the ``LockException``) or refused with a
    reason. At most one open request per village and period."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        GRANTED = "granted", _("已开放")
        REFUSED = "refused", _("未同意")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="supervision_exception_requests",
        verbose_name=_("村（社区）"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="exception_requests",
        verbose_name=_("报送期次"),
    )
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("不同意的原因"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("开放申请")
        verbose_name_plural = _("开放申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "period"],
                condition=Q(state="requested"),
                name="one_open_exception_request",
                violation_error_message=_("该村本期已有待审批的开放申请。"),
            ),
            models.CheckConstraint(
                condition=Q(state="requested", decided_at__isnull=True)
                | Q(state="granted", decided_at__isnull=False)
                | (Q(state="refused", decided_at__isnull=False) & ~Q(refusal_reason="")),
                name="exception_request_decided",
                violation_error_message=_("审批须记录时间，不同意须填写原因。"),
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="exception_request_state")]

    def __str__(self) -> str:
        return f"{self.village} {self.period}"


class Reminder(models.Model):
    """A reminder sent; the unique constraint makes ``send_reminders`` safe to run several times a day."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将截止")
        OVERDUE = "overdue", _("已逾期")
        ESCALATED = "escalated", _("逾期较久")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervision_reminders",
        verbose_name=_("收件人"),
    )
    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+", verbose_name=_("村（社区）")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("报送期次")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    sent_on = models.DateField(_("发送日期"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("催报提醒")
        verbose_name_plural = _("催报提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "village", "period", "sent_on"],
                name="one_reminder_per_person_report_day",
                violation_error_message=_("今天已提醒过。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.village} {self.period}"


class ReportTally(models.Model):
    """Per township and period: reports first submitted, and those first submitted before the
    township's deadline (its county's ``PeriodDeadline`` or the period's own). Moved by PostgreSQL
    triggers in the same transaction as every write of a report, and recounted for a period when a
    deadline changes (migration ``0006_report_tally``): the dashboards' completeness and 12-month
    trend read a few thousand of these rows instead of counting a year of reports. Never written by
    Django."""

    township = models.ForeignKey("villages.Township", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    submitted = models.IntegerField(default=0, db_default=0)
    on_time = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("报告计数")
        verbose_name_plural = _("报告计数")
        constraints = [
            models.UniqueConstraint(fields=["period", "township"], name="one_tally_per_period_township")
        ]

    def __str__(self) -> str:
        return f"{self.township_id}/{self.period_id}: {self.submitted}"
