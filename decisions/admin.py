"""Admin: records are read here (the workflow is entered through the staff pages, whose services check
the rules); the policy row is where admins change the local thresholds and the notice period."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import Attachment, DecisionPolicy, Matter, Step, StepCorrection
from governance.corrections import CorrectionAdminMixin
from governance.policy import CountyPolicyAdminMixin


class _ReadOnlyAdmin(SimpleHistoryAdmin):
    """Steps and states change only through the services (order, dates, thresholds)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    can_delete = False
    fields = (
        "kind",
        "held_on",
        "passed",
        "members_due",
        "present",
        "votes_for",
        "votes_against",
        "votes_abstain",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Matter)
class MatterAdmin(_ReadOnlyAdmin):
    list_display = ("title", "village", "category", "amount", "state", "proposed_on", "resolved_on")
    list_filter = ("state", "category", "village__township")
    list_select_related = ("village",)
    search_fields = ("title", "village__name", "village__code")
    date_hierarchy = "created_at"
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(_ReadOnlyAdmin):
    list_display = ("matter", "kind", "held_on", "passed", "present", "votes_for", "recorded_by")
    list_filter = ("kind", "passed")
    list_select_related = ("matter", "recorded_by")
    search_fields = ("matter__title",)


@admin.register(Attachment)
class AttachmentAdmin(_ReadOnlyAdmin):
    list_display = ("title", "matter", "file_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("file_type",)
    list_select_related = ("matter", "uploaded_by")
    search_fields = ("title", "matter__title")


@admin.register(DecisionPolicy)
class DecisionPolicyAdmin(CountyPolicyAdminMixin, SimpleHistoryAdmin):
    """四议两公开 thresholds: the default (no county) and each county's rows from a date."""

    schedule = "decisions.services.policy_schedule"


@admin.register(StepCorrection)
class StepCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "step"
    list_select_related = ["corrected_by", "step__matter"]
    search_fields = ["reason", "step__matter__title"]
