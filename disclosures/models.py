"""五公开 (党务、村务、财务、事务（服务）公开): what a village posts on its disclosure board.

- ``Disclosure``: one posting of a village under one category, dated (``posted_on``) and covering a
  period (``period_start`` to ``period_end``). draft → published (a separate, confirmed action); a
  published disclosure is never edited: it is corrected with a reason (``DisclosureCorrection``) or
  withdrawn with a reason (it stays on the board, shown as withdrawn).
- ``FinanceLine``: the income and expenditure lines of a finance disclosure. The stated totals
  (``income_total``, ``expenditure_total``) must equal the sums of the lines: forms say so with the
  difference, the services check again inside their transaction.

Which quarter a disclosure counts for: the quarter its ``posted_on`` falls in (``selectors.disclosed_in``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.corrections import Correction
from governance.privacy import reject_personal
from governance.versioning import Versioned


class Category(models.TextChoices):
    """The categories of 五公开, in the order the county's documents list them."""

    PARTY = "party", _("党务")
    VILLAGE = "village", _("村务")
    FINANCE = "finance", _("财务")
    SERVICE = "service", _("事务（服务）")


AMOUNT = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class Disclosure(Versioned):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公开")
        WITHDRAWN = "withdrawn", _("已撤回")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    village = models.ForeignKey(
        "villages.Village", on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("村（社区）")
    )
    category = models.CharField(_("公开类别"), max_length=10, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200, validators=[reject_personal])
    text = models.TextField(_("公开内容"), max_length=5000, validators=[reject_personal])
    posted_on = models.DateField(_("公开日期"))
    period_start = models.DateField(_("所属期起"))
    period_end = models.DateField(_("所属期止"))
    income_total = models.DecimalField(
        _("收入合计（元）"), **AMOUNT, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    expenditure_total = models.DecimalField(
        _("支出合计（元）"), **AMOUNT, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    withdrawal_reason = models.TextField(_("撤回原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("发布人"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("五公开")
        verbose_name_plural = _("五公开")
        ordering = ["-posted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="disclosure_period_ordered",
                violation_error_message=_("所属期止不能早于所属期起。"),
            ),
            models.CheckConstraint(
                condition=Q(income_total__isnull=True) | Q(income_total__gte=0),
                name="disclosure_income_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(expenditure_total__isnull=True) | Q(expenditure_total__gte=0),
                name="disclosure_expenditure_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(category="finance")
                | Q(income_total__isnull=False, expenditure_total__isnull=False),
                name="disclosure_finance_has_totals",
                violation_error_message=_("财务公开须填写收入合计和支出合计。"),
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdrawal_reason=""),
                name="disclosure_withdrawn_has_reason",
                violation_error_message=_("撤回须填写原因。"),
            ),
        ]
        indexes = [
            models.Index(fields=["village", "category", "posted_on"], name="disclosure_village_cat_day"),
            # Covering: who disclosed in a quarter (of a category) is read from the index alone.
            models.Index(
                fields=["state", "posted_on"],
                include=["village", "category"],
                name="disclosure_state_day_cover",
            ),
            # The list's order (latest posted first, then village code within a day).
            models.Index(fields=["-posted_on"], name="disclosure_posted"),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} · {self.get_category_display()} · {self.title}"

    @property
    def is_finance(self) -> bool:
        return self.category == Category.FINANCE

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_public(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.WITHDRAWN)


class FinanceLine(models.Model):
    class Kind(models.TextChoices):
        INCOME = "income", _("收入")
        EXPENDITURE = "expenditure", _("支出")

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="lines", verbose_name=_("五公开")
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("收支"), max_length=12, choices=Kind.choices)
    item = models.CharField(_("项目"), max_length=100, validators=[reject_personal])
    amount = models.DecimalField(_("金额（元）"), **AMOUNT, validators=[MinValueValidator(ZERO)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("财务收支明细")
        verbose_name_plural = _("财务收支明细")
        ordering = ["disclosure", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="finance_line_amount_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.item} · {self.amount}"


class DisclosureCorrection(Correction):
    """A correction of a published disclosure's title, text, date or period, with its reason."""

    corrected_model = Disclosure
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("五公开")
    )

    class Meta(Correction.Meta):
        verbose_name = _("五公开更正")
        verbose_name_plural = _("五公开更正")
