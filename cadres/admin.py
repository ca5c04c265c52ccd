from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cadres.models import (
    Development,
    DevelopmentCorrection,
    DutyAssignment,
    DutyKind,
    Evaluation,
    EvaluationCorrection,
    IdNumberReveal,
    Membership,
    Person,
    Post,
    PostCorrection,
    ReserveCadre,
    ReserveCorrection,
    ReserveQuota,
)
from governance.policy import CountyPolicyAdminMixin


class RecordsViewOnly:
    """Cadre records change only through the portal's forms and services (which enforce the rules
    and the jurisdiction); the admin shows them and their history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    """People are entered by township staff through the portal (the ID number needs the service)."""

    list_display = ("name", "sex", "birth_date", "id_number_masked", "home_village")
    list_select_related = ("home_village__township",)
    list_filter = ("sex", "education", "is_returning_migrant", "is_wealth_expert", "home_village__township")
    search_fields = ("name", "home_village__name")
    readonly_fields = ("id_number_masked",)
    exclude = ("id_number_encrypted", "id_number_hash")


@admin.register(IdNumberReveal)
class IdNumberRevealAdmin(admin.ModelAdmin):
    """Read-only log of who saw whose whole ID number, when."""

    list_display = ("revealed_at", "user", "person")
    list_select_related = ("user", "person")
    list_filter = ("revealed_at",)
    search_fields = ("user__username", "person__name")
    date_hierarchy = "revealed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("village", "committee", "position", "person", "start_date", "term_end", "end_date")
    list_select_related = ("village", "person")
    list_filter = ("committee", "position", "village__township")
    search_fields = ("person__name", "village__name", "village__code")


@admin.register(Evaluation)
class EvaluationAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("year", "village", "person", "performance", "integrity")
    list_select_related = ("village", "person")
    list_filter = ("year", "performance", "integrity")
    search_fields = ("person__name", "village__name")


@admin.register(Development)
class DevelopmentAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("person", "village", "stage", "applied_on", "probation_ends_on")
    list_select_related = ("village", "person")
    list_filter = ("stage", "village__township")
    search_fields = ("person__name", "village__name")


@admin.register(ReserveCadre)
class ReserveCadreAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("plan_year", "village", "person", "stage", "outcome")
    list_select_related = ("village", "person")
    list_filter = ("plan_year", "stage", "outcome", "village__township")
    search_fields = ("person__name", "village__name")


@admin.register(ReserveQuota)
class ReserveQuotaAdmin(CountyPolicyAdminMixin, SimpleHistoryAdmin):
    """The 3512 quota (defaults 3-5, of whom 1-2 returning migrant workers or wealth-creation
    experts): the default (no county) and each county's rows from a date."""

    schedule = "cadres.services.quota_schedule"


class CorrectionAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    """Corrections (更正) are made by the owning township through the portal; the admin reads them."""

    list_display = ("corrected_at", "corrected_by", "reason")
    list_select_related = ("corrected_by",)
    date_hierarchy = "corrected_at"
    search_fields = ("reason", "corrected_by__username")


admin.site.register(DevelopmentCorrection, CorrectionAdmin)
admin.site.register(ReserveCorrection, CorrectionAdmin)
admin.site.register(PostCorrection, CorrectionAdmin)
admin.site.register(EvaluationCorrection, CorrectionAdmin)


# ---------------------------------------------------------------- party members ([7/10])


@admin.register(Membership)
class MembershipAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    """Memberships change through the portal's services (transfers, the development flow)."""

    list_display = ("person", "branch", "joined_on", "joined_how", "full_since", "left_on", "left_how")
    list_select_related = ("person", "branch")
    list_filter = ("joined_how", "left_how", "branch__township")
    search_fields = ("person__name", "branch__name")


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("year", "kind", "membership", "assigned_on")
    list_select_related = ("kind", "membership__person", "membership__branch")
    list_filter = ("year", "kind")


@admin.register(DutyKind)
class DutyKindAdmin(SimpleHistoryAdmin):
    """The configurable list of duty posts (无职党员设岗定责); county officials edit it at
    /cadres/duty-kinds/. Deactivate a kind instead of deleting it."""

    list_display = ("name", "description", "active", "order")

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------- first secretaries ([9/10])

from cadres.models import Stationing, StationingCorrection  # noqa: E402


@admin.register(Stationing)
class StationingAdmin(RecordsViewOnly, SimpleHistoryAdmin):
    list_display = ("village", "person", "sending_unit", "start_date", "end_date")
    list_select_related = ("village", "person")
    list_filter = ("village__township",)
    search_fields = ("person__name", "village__name", "village__code", "sending_unit")


admin.site.register(StationingCorrection, CorrectionAdmin)
