from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.corrections import CorrectionAdminMixin
from governance.policy import CountyPolicyAdminMixin
from supervision.models import (
    ExceptionRequest,
    LockException,
    PeriodDeadline,
    Rectification,
    RectificationCorrection,
    Reminder,
    Report,
    ReportCorrection,
    ReportingPeriod,
    ReportingPolicy,
)


@admin.register(ReportingPolicy)
class ReportingPolicyAdmin(CountyPolicyAdminMixin, SimpleHistoryAdmin):
    """The reporting calendar: the default (no county) and each county's rows from a date."""

    schedule = "supervision.services.policy_schedule"


@admin.register(PeriodDeadline)
class PeriodDeadlineAdmin(SimpleHistoryAdmin):
    """Each county's own dates for a period: written by the calendar services, shown here."""

    list_display = ["period", "county", "due_date", "locks_on"]
    list_filter = ["county"]
    list_select_related = ["period", "county"]
    readonly_fields = ["deadline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "start", "end", "due_date", "locks_on"]
    list_filter = ["kind", "year"]
    search_fields = ["year"]
    readonly_fields = ["deadline"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["village", "period", "status", "first_submitted_at", "reporter"]
    list_select_related = ["village", "period", "reporter"]
    list_filter = ["status", "period__kind", "township"]
    search_fields = ["village__name", "village__code"]
    raw_id_fields = ["village", "township", "period", "reporter", "created_by", "reviewed_by"]
    readonly_fields = ["public_id", "version", "first_submitted_at", "submitted_at", "reviewed_at"]


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = ["problem", "village", "area", "deadline", "status"]
    list_select_related = ["village"]
    list_filter = ["status", "area"]
    search_fields = ["problem", "village__name", "responsible"]
    raw_id_fields = ["village", "opened_in", "closed_in"]


@admin.register(LockException)
class LockExceptionAdmin(SimpleHistoryAdmin):
    list_display = ["village", "period", "opened_by", "created_at"]
    list_select_related = ["village", "period", "opened_by"]
    list_filter = ["period__kind"]
    search_fields = ["village__name", "reason"]
    raw_id_fields = ["village", "period", "opened_by"]


@admin.register(Reminder)
class ReminderAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "village", "period", "kind", "sent_on"]
    list_select_related = ["recipient", "village", "period"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient__username", "village__name"]
    raw_id_fields = ["recipient", "village", "period"]


@admin.register(RectificationCorrection)
class RectificationCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "item"
    list_select_related = ["corrected_by", "item"]
    search_fields = ["reason", "item__problem"]


@admin.register(ReportCorrection)
class ReportCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "report"
    list_select_related = ["corrected_by", "report__village", "report__period"]
    search_fields = ["reason", "report__village__name"]


@admin.register(ExceptionRequest)
class ExceptionRequestAdmin(SimpleHistoryAdmin):
    """Requests to reopen a locked period (申请开放): made and decided on the portal, where the
    services check who may decide; here they are read, with their history."""

    list_display = ["village", "period", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state", "village__township__county"]
    list_select_related = ["village", "period", "requested_by", "decided_by"]
    search_fields = ["village__name", "reason"]
    raw_id_fields = ["village", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
