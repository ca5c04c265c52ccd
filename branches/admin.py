from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from branches.models import BranchEnterprise, BranchVillage, Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "township")
    list_filter = ("township",)
    list_select_related = ("township",)
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("township",)
    readonly_fields = ("public_id",)


@admin.register(BranchVillage)
class BranchVillageAdmin(SimpleHistoryAdmin):
    list_display = ("branch", "village")
    list_select_related = ("branch", "village")
    search_fields = ("branch__name", "village__name")
    autocomplete_fields = ("branch", "village")


@admin.register(BranchEnterprise)
class BranchEnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("branch", "enterprise")
    list_select_related = ("branch", "enterprise")
    search_fields = ("branch__name", "enterprise__name")
    autocomplete_fields = ("branch", "enterprise")
