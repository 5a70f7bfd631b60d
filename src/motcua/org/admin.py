from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, ApiToken, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "valid_to")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "electronic_id", "name", "kind", "unit", "has_one_stop_desk")
    list_filter = ("kind", "has_one_stop_desk")
    search_fields = ("code", "electronic_id", "name")
    autocomplete_fields = ("unit", "parent")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "full_name", "email", "phone")
    autocomplete_fields = ("agency",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("motcua"), {"fields": ("full_name", "role", "agency", "phone", "is_demo")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "label", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")
