from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from villages.models import County, PartyBranch, Township, Village
from villages.services import branch_ensure_for_village


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")
    search_fields = ("code", "name")


@admin.register(Township)
class TownshipAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "county", "valid_from", "valid_to")
    list_filter = ("kind", "county")
    list_select_related = ("county",)
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "township", "valid_from", "valid_to")
    list_filter = ("kind", "township__county", "township")
    list_select_related = ("township",)
    search_fields = ("code", "name", "name_bo")
    autocomplete_fields = ("township",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            branch_ensure_for_village(village=obj)


@admin.register(PartyBranch)
class PartyBranchAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "township", "village", "start_date", "end_date")
    list_filter = ("kind", "township")
    list_select_related = ("township", "village")
    search_fields = ("name", "village__name")
    autocomplete_fields = ("township", "village")
    readonly_fields = ("public_id", "version")
