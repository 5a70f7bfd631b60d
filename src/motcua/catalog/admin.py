from django.contrib import admin

from .models import CatalogEvent, DocumentRequirement, Fee, Field, Procedure, ProcessStep
from .services import procedure_save_from_admin


class DocumentInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class StepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "levels", "processing_days", "online_level", "status")
    list_filter = ("status", "online_level", "field")
    search_fields = ("code", "name", "name_key")
    list_select_related = ("field",)
    autocomplete_fields = ("competent_agency",)
    inlines = [DocumentInline, FeeInline, StepInline]
    readonly_fields = ("version", "updated_at")

    def save_model(self, request, obj, form, change) -> None:
        procedure_save_from_admin(procedure=obj, changed_fields=list(form.changed_data))


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(CatalogEvent)
class CatalogEventAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "procedure", "field", "levels", "decision")
    list_filter = ("kind", "field")
    date_hierarchy = "date"
    list_select_related = ("procedure", "field")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
