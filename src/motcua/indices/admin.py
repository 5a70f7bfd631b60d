"""Read-only admin views of methodologies and scores: methodologies change through their files
(`motcua load-indices`), scores through the services (so every change is audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Assessment, ExternalValue, Methodology, Node, Scenario, Score


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class NodeInline(admin.TabularInline):
    model = Node
    fields = ("code", "name_vi", "max_points", "rule_kind", "official")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Methodology)
class MethodologyAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "name_vi", "official", "effective_from", "total_points")
    inlines = [NodeInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("methodology", "year", "agency", "unit", "created_at")
    list_filter = ("methodology", "year")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = (
        "assessment",
        "node",
        "self_points",
        "appraised_points",
        "computed_ratio",
        "reason",
    )
    list_filter = ("assessment__methodology", "assessment__year")
    list_select_related = ("assessment__methodology", "assessment__agency", "node")


@admin.register(ExternalValue)
class ExternalValueAdmin(ReadOnlyAdmin):
    list_display = ("index", "province_code", "year", "component", "score", "rank")
    list_filter = ("index", "component")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("name", "methodology", "year", "created_by", "created_at")
    list_filter = ("methodology", "year")
