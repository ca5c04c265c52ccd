"""Per-county local policy with effective dates (DESIGN §1: county officials set local policy).

Each app's policy model (supervision's reporting calendar, cadres' 3512 quota, decisions' 审议
thresholds) subclasses ``CountyPolicy``: one row per county and ``effective_from`` date, plus
deployment defaults (``county`` null). The row that applies on a date D for county C is the latest
row of C with ``effective_from`` ≤ D, else the default's latest row ≤ D, else the model's field
defaults (DESIGN's). Rows are never rewritten once in force: a change is a new row from a date.

The county is referenced by name ("villages.County"): governance imports no app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.versioning import StaleRecord, Versioned

# The date the deployment-wide rows saved before county policy existed apply from.
BASELINE = dt.date(2000, 1, 1)

BACKDATED = _("生效日期不能早于今天（%(today)s）：已发生的期次和记录按原规则判断。")


class CountyPolicy(Versioned):
    county = models.ForeignKey(
        "villages.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("县"),
        help_text=_("留空为全局默认，适用于未单独设置的县。"),
    )
    effective_from = models.DateField(_("生效日期"), default=BASELINE)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        abstract = True
        ordering = [F("county_id").asc(nulls_first=True), "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "effective_from"],
                condition=Q(county__isnull=False),
                name="%(app_label)s_%(class)s_one_per_county_day",
                violation_error_message=_("该县在此日期已有一条设置。"),
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(county__isnull=True),
                name="%(app_label)s_%(class)s_one_default_per_day",
                violation_error_message=_("全局默认在此日期已有一条设置。"),
            ),
        ]

    # Names of the policy values (the fields a county sets); each subclass lists its own.
    value_fields: tuple[str, ...] = ()

    @classmethod
    def applicable(cls, county_id) -> Q:
        """Rows that may apply to ``county_id``: its own and the deployment defaults."""
        return Q(county_id=county_id) | Q(county__isnull=True) if county_id else Q(county__isnull=True)

    @classmethod
    def effective(cls, county=None, on: dt.date | None = None):
        """The row in force for ``county`` (a County, its pk or None) on ``on`` (default today);
        an unsaved row with DESIGN's defaults when none is saved. One query."""
        on = on or timezone.localdate()
        county_id = getattr(county, "pk", county)
        row = (
            cls.objects.filter(cls.applicable(county_id), effective_from__lte=on)
            .order_by(F("county_id").asc(nulls_last=True), "-effective_from")
            .first()
        )
        return row or cls(county_id=None)

    @classmethod
    def current(cls):
        """The deployment default in force today (admins' row)."""
        return cls.effective(None)

    @classmethod
    def ordered_sql(cls, county_ref, on):
        """The rows applying to the county at ``county_ref`` (an OuterRef) on ``on``, best first:
        slice ``[:1]`` and take ``.values(field)`` for a correlated subquery."""
        return cls.objects.filter(
            Q(county_id=county_ref) | Q(county__isnull=True), effective_from__lte=on
        ).order_by(F("county_id").asc(nulls_last=True), "-effective_from")

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.value_fields}

    def check_not_backdated(self, today: dt.date | None = None) -> None:
        today = today or timezone.localdate()
        if self.effective_from is None or self.effective_from < today:
            raise ValidationError({"effective_from": BACKDATED % {"today": today.isoformat()}})


def may_set(user, county_id) -> bool:
    """Admins set every county's policy and the defaults; a county official only their county's."""
    from governance.roles import Role

    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COUNTY_OFFICIAL and county_id is not None and user.county_id == county_id


def latest_row(model, county_id, *, lock: bool = False):
    """``county_id``'s newest row (None: the default's), the one a settings form is opened against."""
    rows = (
        model.objects.filter(county_id=county_id) if county_id else model.objects.filter(county__isnull=True)
    )
    if lock:
        rows = rows.select_for_update()
    return rows.order_by("-effective_from").first()


def schedule(
    model,
    *,
    user,
    county,
    effective_from: dt.date,
    values: dict,
    today: dt.date | None = None,
    seen: tuple[int, int] | None = None,
):
    """Save ``values`` as ``county``'s policy (None: the default) from ``effective_from``: a new row,
    or the row already scheduled for that very date (not yet in force) updated. Validates like the
    database (``save_checked``); the caller holds a transaction and adds its app's checks first.

    ``seen``: ``(pk, version)`` of the county's newest row when the user's form was opened (``(0, 0)``:
    none); someone else's change since raises ``StaleRecord`` (``governance.versioning``)."""
    from django.core.exceptions import PermissionDenied

    from governance.integrity import save_checked

    today = today or timezone.localdate()
    county_id = getattr(county, "pk", county)
    if not may_set(user, county_id):
        raise PermissionDenied
    if seen is not None:
        latest = latest_row(model, county_id, lock=True)
        current = (latest.pk, latest.version) if latest else (0, 0)
        if current != tuple(seen):
            raise StaleRecord(latest) if latest else ValidationError(_("设置已被他人删除，请刷新页面。"))
    row = (
        model.objects.select_for_update().filter(county_id=county_id, effective_from=effective_from).first()
        if effective_from is not None
        else None
    ) or model(county_id=county_id, effective_from=effective_from)
    for name, value in values.items():
        setattr(row, name, value)
    row.changed_by = user
    row.check_not_backdated(today)
    if row.pk:
        row.version += 1
    save_checked(row)
    return row


class CountyPolicyAdminMixin:
    """Admin for a ``CountyPolicy`` model: rows in force are history (read-only); new rows and rows
    still scheduled are saved through the app's ``schedule`` service (set ``schedule`` to its dotted
    path), which checks the date and keeps what records already carry."""

    schedule = ""
    list_filter = ["county"]
    list_select_related = ["county", "changed_by"]
    readonly_fields = ["changed_by", "changed_at"]

    def get_list_display(self, request):
        return ["county_label", "effective_from", *self.model.value_fields[:5], "changed_by", "changed_at"]

    @staticmethod
    def _in_force(obj) -> bool:
        return obj is not None and obj.effective_from < timezone.localdate()

    def has_change_permission(self, request, obj=None):
        return not self._in_force(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_force(obj) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        return {"effective_from": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        fixed = ["county", "effective_from"] if obj is not None and obj.pk else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        schedule = self.schedule

        class PolicyForm(form):
            def clean(self):
                from django.db import transaction
                from django.utils.module_loading import import_string

                cleaned = super().clean()
                if self.errors:
                    return cleaned
                row = self.instance  # not yet filled from the form: read cleaned_data first
                county = cleaned.get("county", row.county)
                values = {name: cleaned.get(name, getattr(row, name)) for name in row.value_fields}
                # Dry run of the service (rolled back): its errors show on the form, nothing saved.
                try:
                    with transaction.atomic():
                        import_string(schedule)(
                            user=request.user,
                            county=getattr(county, "pk", county),
                            effective_from=cleaned.get("effective_from", row.effective_from),
                            **values,
                        )
                        transaction.set_rollback(True)
                except ValidationError as exc:
                    raise ValidationError(exc.messages) from exc
                return cleaned

        return PolicyForm

    def save_model(self, request, obj, form, change):
        from django.utils.module_loading import import_string

        saved = import_string(self.schedule)(
            user=request.user, county=obj.county_id, effective_from=obj.effective_from, **obj.values()
        )
        obj.pk = saved.pk

    @staticmethod
    def county_label(obj):
        return obj.county or _("全局默认")

    county_label.short_description = _("县")


# --- the /settings/ page's sections --------------------------------------------------------------

SCHEDULED = _("已保存：自 %(date)s 起适用。")


def policy_form_class(model):
    """A form scheduling ``model``'s values from a date (bounded DateField, versioned against the
    county's newest row, values checked as the database does, nothing saved when invalid)."""
    from django import forms

    from governance.fields import DateField
    from governance.versioning import VersionedForm

    class PolicyForm(VersionedForm, forms.ModelForm):
        based_on = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
        )

        class Meta:
            fields = ["effective_from", *model.value_fields]
            field_classes = {"effective_from": DateField}

        Meta.model = model

        def __init__(self, *args, latest=None, today=None, **kwargs):
            self.today = today or timezone.localdate()
            kwargs.setdefault("record", latest)
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("effective_from", self.today)
            initial.setdefault("based_on", latest.pk if latest else 0)
            super().__init__(*args, **kwargs)
            self.fields["effective_from"].help_text = _("今天或以后的日期；已发生的期次和记录按原规则判断。")
            for name in model.value_fields:
                field = self.fields[name]
                field.widget.attrs.setdefault("min", 0)

        def clean_effective_from(self):
            day = self.cleaned_data["effective_from"]
            if day < self.today:
                raise ValidationError(BACKDATED % {"today": self.today.isoformat()})
            return day

        def seen(self):
            if "version" not in self.fields:
                return (0, 0)
            return (self.cleaned_data.get("based_on") or 0, self.cleaned_data.get("version") or 0)

    return PolicyForm


def policy_panel(
    model,
    *,
    section: str,
    title,
    schedule_path: str,
    user,
    county,
    data=None,
    note="",
    value_labels=None,
):
    """One app's section of /settings/ (``governance/hooks.py``: ``settings_panel``): the rules in
    force for ``county`` (None: the deployment default), the scheduled and past rows with who and
    when, and a form scheduling a change; ``data`` is the POST when it is addressed to ``section``.

    Returns ``("settings/_policy.html", context)``; the context says ``saved`` (the view redirects)
    or carries the bound form with its errors (the view answers 400). Three queries when read."""
    from django.utils.module_loading import import_string

    from governance.versioning import StaleRecord, show_stale

    today = timezone.localdate()
    county_id = getattr(county, "pk", county)
    in_force = model.effective(county_id, on=today)
    rows = list(
        (
            model.objects.filter(county_id=county_id)
            if county_id
            else model.objects.filter(county__isnull=True)
        )
        .select_related("changed_by")
        .order_by("-effective_from")[:50]
    )
    for row in rows:
        row.value_list = [getattr(row, name) for name in model.value_fields]
    latest = rows[0] if rows else None
    form_class = policy_form_class(model)
    bound = data is not None and data.get("section") == section
    form = form_class(data if bound else None, latest=latest, today=today, prefix=section)
    saved = None
    if bound and form.is_valid():
        values = {name: form.cleaned_data[name] for name in model.value_fields}
        try:
            saved = import_string(schedule_path)(
                user=user,
                county=county_id,
                effective_from=form.cleaned_data["effective_from"],
                seen=form.seen(),
                **values,
            )
        except StaleRecord as exc:
            show_stale(form, exc, url="")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
    fields = [(model._meta.get_field(name).verbose_name, name) for name in model.value_fields]
    return (
        "settings/_policy.html",
        {
            "section": section,
            "title": title,
            "note": note,
            "in_force": in_force,
            "in_force_values": [(label, getattr(in_force, name)) for label, name in fields],
            "is_default": in_force.county_id is None and county_id is not None,
            "scheduled": [r for r in rows if r.effective_from > today],
            "past": [r for r in rows if r.effective_from <= today],
            "columns": fields,
            "form": form,
            "saved": saved,
            "message": SCHEDULED % {"date": saved.effective_from.isoformat()} if saved else "",
        },
    )
