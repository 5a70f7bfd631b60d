"""Read-only admin views of dossiers: every change must go through the services (and the audit)."""

from django.contrib import admin

from .models import Dossier, Handover


class HandoverInline(admin.TabularInline):
    model = Handover
    extra = 0
    can_delete = False
    fields = (
        "position",
        "from_agency",
        "to_agency",
        "received_at",
        "due_at",
        "completed_at",
        "verdict",
        "note",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "procedure",
        "applicant_name",
        "status",
        "channel",
        "received_at",
        "due_at",
        "verdict",
        "current_agency",
    )
    list_filter = ("status", "channel", "verdict", "lead_agency")
    search_fields = ("code", "applicant_name", "applicant_id_number")
    list_select_related = ("procedure", "current_agency")
    date_hierarchy = "received_at"
    inlines = [HandoverInline]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
