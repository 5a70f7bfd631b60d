"""Admin for categories and Open311 clients; petitions are read-only here, because every
change to one must go through the services (and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.org.signed_in import signed_in_user

from .clients import api_client_issue_key
from .models import ApiClient, Category, Petition


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "group_vi", "responsible", "working_days", "active")
    list_filter = ("active", "group_vi", "responsible")
    search_fields = ("code", "name_vi", "name_en", "keywords")


@admin.action(description=gettext_lazy("Issue a new key (the old one stops working)"))
def issue_key(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for client in queryset:
        _client, key = api_client_issue_key(name=client.name, created_by=signed_in_user(request))
        modeladmin.message_user(
            request,
            _("New key for %(name)s (shown only now): %(key)s") % {"name": client.name, "key": key},
            messages.WARNING,
        )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "created_by", "key_issued_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "prefix", "contact")
    fields = ("name", "contact", "active", "prefix", "key_issued_at", "last_used_at")
    readonly_fields = ("prefix", "key_issued_at", "last_used_at")
    actions = [issue_key]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = api_client_issue_key(
            name=obj.name,
            created_by=signed_in_user(request),
            contact=obj.contact,
        )
        obj.pk = client.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Key for %(name)s (shown only now): %(key)s") % {"name": obj.name, "key": key},
            messages.WARNING,
        )


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ("id", "category", "state", "agency", "received_at", "due_at", "hidden")
    list_filter = ("state", "hidden", "channel", "category")
    search_fields = ("id", "description", "address")
    list_select_related = ("category", "agency")
    date_hierarchy = "received_at"
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Petition._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
