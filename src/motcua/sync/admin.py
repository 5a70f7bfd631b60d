from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the lifecycle and the worker, never by hand."""

    list_display = ("dossier_code", "action", "occurred_at", "attempts", "acknowledged_at")
    list_filter = ("action", "acknowledged_at")
    search_fields = ("dossier_code", "event_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
