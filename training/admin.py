"""Admin: classes and attendance are read here (they are entered through the staff pages, whose
services check the organiser and the county); the yearly target is scheduled like other policy."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.policy import CountyPolicyAdminMixin
from training.models import Attendance, TrainingClass, TrainingTarget


class RecordsViewOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttendanceInline(RecordsViewOnly, admin.TabularInline):
    model = Attendance
    fields = ("person", "status", "absence_reason", "recorded_by", "recorded_at")
    readonly_fields = fields
    raw_id_fields = ("person",)
    extra = 0


@admin.register(TrainingClass)
class TrainingClassAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("title", "county", "township", "start_date", "end_date", "hours")
    list_select_related = ("county", "township")
    list_filter = ("county", "start_date")
    search_fields = ("title", "place")
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("training_class", "person", "status", "absence_reason")
    list_select_related = ("training_class", "person")
    list_filter = ("status",)
    search_fields = ("person__name", "training_class__title")


@admin.register(TrainingTarget)
class TrainingTargetAdmin(CountyPolicyAdminMixin, SimpleHistoryAdmin):
    schedule = "training.services.target_schedule"
