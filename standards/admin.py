"""Admin: admins keep every county's catalogue here; adoptions and reviews are read here (they are
entered through the staff pages, whose services check the rules)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from standards.models import Adoption, AdoptionAttachment, Review, Rule


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "area", "county", "is_example", "retired_on")
    list_filter = ("county", "area", "is_example")
    list_select_related = ("county",)
    search_fields = ("code", "title")
    fields = ("county", "area", "code", "title", "is_example", "retired_on")

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: adoptions keep pointing at the rule

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an admin save moves the version, so an open staff form sees it
        super().save_model(request, obj, form, change)


class _ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Adoption)
class AdoptionAdmin(_ReadOnlyAdmin):
    list_display = ("village", "rule", "adopted_on", "recorded_by")
    list_filter = ("rule__area", "village__township")
    list_select_related = ("village", "rule", "recorded_by")
    search_fields = ("village__name", "village__code", "rule__code")


@admin.register(AdoptionAttachment)
class AdoptionAttachmentAdmin(_ReadOnlyAdmin):
    list_display = ("title", "adoption", "file_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("adoption__village", "adoption__rule", "uploaded_by")


@admin.register(Review)
class ReviewAdmin(_ReadOnlyAdmin):
    list_display = ("branch", "year", "total", "state", "assessor")
    list_filter = ("year", "state", "branch__township")
    list_select_related = ("branch",)
    search_fields = ("branch__name",)
