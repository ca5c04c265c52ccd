"""Admin: committees, members, disputes and follow-ups are read here (they are entered through the
staff pages, whose services check the rules); corrections are read-only for everyone."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.corrections import CorrectionAdminMixin
from mediation.models import Committee, Dispute, DisputeCorrection, FollowUp, Member


class _ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(_ReadOnlyAdmin):
    list_display = ("village", "created_at")
    list_select_related = ("village",)
    search_fields = ("village__name", "village__code")


@admin.register(Member)
class MemberAdmin(_ReadOnlyAdmin):
    list_display = ("person", "committee", "is_chair", "start_date", "end_date")
    list_filter = ("is_chair",)
    list_select_related = ("person", "committee__village")
    search_fields = ("person__name", "committee__village__name")


@admin.register(Dispute)
class DisputeAdmin(_ReadOnlyAdmin):
    list_display = ("village", "received_on", "category", "outcome", "closed_on")
    list_filter = ("category", "outcome", "village__township")
    list_select_related = ("village",)
    search_fields = ("village__name", "village__code")


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnlyAdmin):
    list_display = ("dispute", "visited_on", "recorded_by")
    list_select_related = ("dispute__village", "recorded_by")


@admin.register(DisputeCorrection)
class DisputeCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "dispute"
