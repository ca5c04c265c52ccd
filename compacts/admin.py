"""Admin: versions, attachments and corrections are read here; they are entered through the staff
pages, whose services check the ordering, matter and personal-data rules."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compacts.models import CompactAttachment, CompactCorrection, CompactVersion
from governance.corrections import CorrectionAdminMixin


class _ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompactVersion)
class CompactVersionAdmin(_ReadOnlyAdmin):
    list_display = ("village", "kind", "adopted_on", "matter", "recorded_by")
    list_filter = ("kind", "village__township")
    list_select_related = ("village", "matter", "recorded_by")
    search_fields = ("village__name", "village__code")


@admin.register(CompactAttachment)
class CompactAttachmentAdmin(_ReadOnlyAdmin):
    list_display = ("title", "compact", "file_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("compact__village", "uploaded_by")


@admin.register(CompactCorrection)
class CompactCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "compact"
    list_select_related = ["corrected_by", "compact__village"]
