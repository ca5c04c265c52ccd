"""人民调解: each village's people's mediation committee (人民调解委员会) and its dispute log.

- ``Committee``: one per village; its members are people of the cadres roster (``cadres.Person``
  of the village's county), each with start and end dates of membership; one current chair (a
  partial unique index: at most one current member with ``is_chair`` per committee).
- ``Dispute``: received date, parties (names only: never ID numbers or phones), category, summary,
  mediator (a member of the village's committee) and outcome. Open (调解中) until it is closed, in a
  separate confirmed action, as 达成协议 (with the agreement date), 移送 (to whom) or 未化解. A closed
  dispute is not edited: its outcome is corrected with a reason (``DisputeCorrection``).
- ``FollowUp``: a visit after the dispute was received (回访), with a note.

Dates are checked by the forms and services and again by the database (CheckConstraints).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.corrections import Correction
from governance.privacy import reject_personal
from governance.versioning import Versioned


class Committee(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.OneToOneField(
        "villages.Village",
        on_delete=models.PROTECT,
        related_name="mediation_committee",
        verbose_name=_("村（社区）"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["village__code"]

    def __str__(self) -> str:
        return _("%(village)s人民调解委员会") % {"village": self.village.name}


class Member(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="members", verbose_name=_("人民调解委员会")
    )
    person = models.ForeignKey(
        "cadres.Person",
        on_delete=models.PROTECT,
        related_name="mediation_memberships",
        verbose_name=_("人员"),
    )
    is_chair = models.BooleanField(_("主任"), default=False)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解委员会成员")
        verbose_name_plural = _("调解委员会成员")
        ordering = ["-is_chair", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(is_chair=True, end_date__isnull=True),
                name="mediation_one_chair_per_committee",
                violation_error_message=_("每个调解委员会只能有一名主任。"),
            ),
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=Q(end_date__isnull=True),
                name="mediation_one_current_membership",
                violation_error_message=_("此人已是该调解委员会的成员。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="mediation_member_ends_after_start",
                violation_error_message=_("离任日期不能早于任职日期。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(is_chair=False),
                name="mediation_former_member_not_chair",
                violation_error_message=_("已离任的成员不能担任主任。"),
            ),
        ]

    def __str__(self) -> str:
        return self.person.name

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def current_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Category(models.TextChoices):
    LAND = "land", _("土地及边界")
    GRASSLAND = "grassland", _("草场及虫草采挖区")
    FAMILY = "family", _("婚姻家庭")
    NEIGHBOURS = "neighbours", _("邻里")
    LABOUR = "labour", _("劳动争议")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    OPEN = "open", _("调解中")
    AGREEMENT = "agreement", _("达成协议")
    REFERRED = "referred", _("移送")
    UNRESOLVED = "unresolved", _("未化解")


CLOSED_OUTCOMES = [Outcome.AGREEMENT, Outcome.REFERRED, Outcome.UNRESOLVED]


class Dispute(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="disputes", verbose_name=_("村（社区）")
    )
    received_on = models.DateField(_("受理日期"))
    parties = models.CharField(
        _("当事人"),
        max_length=200,
        validators=[reject_personal],
        help_text=_("只填姓名，1至6人，用“、”或“，”分隔；不填身份证号码和电话。"),
    )
    category = models.CharField(_("纠纷类别"), max_length=12, choices=Category.choices)
    summary = models.TextField(_("纠纷概要"), max_length=2000, validators=[reject_personal])
    mediator = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("调解员")
    )
    outcome = models.CharField(_("调解结果"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    agreement_on = models.DateField(_("达成协议日期"), null=True, blank=True)
    referred_to = models.CharField(_("移送单位"), max_length=120, blank=True, validators=[reject_personal])
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Outcome.OPEN, closed_on__isnull=True)
                | (~Q(outcome=Outcome.OPEN) & Q(closed_on__isnull=False)),
                name="mediation_closed_has_date",
                violation_error_message=_("办结的纠纷须有办结日期，调解中的纠纷不能有办结日期。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="mediation_closed_after_received",
                violation_error_message=_("办结日期不能早于受理日期。"),
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.AGREEMENT, agreement_on__isnull=False)
                | (~Q(outcome=Outcome.AGREEMENT) & Q(agreement_on__isnull=True)),
                name="mediation_agreement_has_date",
                violation_error_message=_("达成协议的纠纷须有协议日期，其他结果不填协议日期。"),
            ),
            models.CheckConstraint(
                condition=Q(agreement_on__isnull=True)
                | Q(agreement_on__gte=F("received_on"), agreement_on__lte=F("closed_on")),
                name="mediation_agreement_between_received_and_closed",
                violation_error_message=_("协议日期应在受理日期和办结日期之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REFERRED) | ~Q(referred_to=""),
                name="mediation_referred_has_receiver",
                violation_error_message=_("移送的纠纷须填写移送单位。"),
            ),
        ]
        indexes = [
            models.Index(fields=["village", "received_on"], name="mediation_dispute_village_day"),
            models.Index(fields=["outcome", "received_on"], name="mediation_dispute_outcome_day"),
        ]

    def __str__(self) -> str:
        return _("%(village)s %(day)s 受理的纠纷") % {"village": self.village.name, "day": self.received_on}

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


class FollowUp(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("矛盾纠纷")
    )
    visited_on = models.DateField(_("回访日期"))
    note = models.TextField(_("回访情况"), max_length=1000, validators=[reject_personal])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.visited_on}"


class DisputeCorrection(Correction):
    """A closed dispute's outcome (result, agreement date, receiver, closing date) corrected with a
    reason; the dispute's own history keeps the old values."""

    corrected_model = Dispute
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("矛盾纠纷")
    )

    class Meta(Correction.Meta):
        verbose_name = _("纠纷办结更正")
        verbose_name_plural = _("纠纷办结更正")
