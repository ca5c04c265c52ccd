from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "last_name", "first_name", "role", "township", "county", "is_active")
    list_filter = ("role", "is_active", "county", "township")
    list_select_related = ("township", "county")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("township", "county")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("角色与辖区"),
            {
                "fields": ("role", "township", "county"),
                "description": _(
                    "乡镇工作人员选所属乡镇；县级审核人员选所属县（市）；系统管理员两项都不填。"
                ),
            },
        ),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("角色与辖区"), {"fields": ("role", "township", "county")}),
    )
