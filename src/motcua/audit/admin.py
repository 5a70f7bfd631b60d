from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "chain",
        "seq",
        "subject_type",
        "subject_id",
        "action",
        "from_state",
        "to_state",
        "actor",
    )
    list_filter = ("chain", "subject_type", "action")
    search_fields = ("subject_id",)
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
