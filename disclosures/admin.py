"""Admin: disclosures are read here (they are written through the staff pages, whose services
check the totals and the states); corrections are read-only for everyone."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from disclosures.models import Disclosure, DisclosureCorrection, FinanceLine
from governance.corrections import CorrectionAdminMixin


class _ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(_ReadOnlyAdmin):
    list_display = ("title", "village", "category", "posted_on", "state")
    list_filter = ("category", "state", "village__township")
    list_select_related = ("village",)
    search_fields = ("title", "village__name", "village__code")
    date_hierarchy = "posted_on"


@admin.register(FinanceLine)
class FinanceLineAdmin(_ReadOnlyAdmin):
    list_display = ("disclosure", "kind", "item", "amount")
    list_filter = ("kind",)
    list_select_related = ("disclosure__village",)


@admin.register(DisclosureCorrection)
class DisclosureCorrectionAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    record_field = "disclosure"
    list_select_related = ["corrected_by", "disclosure__village"]
