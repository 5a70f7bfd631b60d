"""Admin for the override table; writes go through the services so the calendar cache follows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.workdays.models import CalendarOverride
from motcua.workdays.services import calendar_override_delete, calendar_override_set


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "reason", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    ordering = ["-date"]
    fields = ["date", "kind", "reason", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return date_format(obj.date, "l")

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: ModelForm, change: bool
    ) -> None:
        old_date = form.initial.get("date") if change else None
        if old_date is not None and old_date != obj.date:
            calendar_override_delete(date=old_date)
        saved = calendar_override_set(date=obj.date, kind=obj.kind, reason=obj.reason)
        # The admin logs and redirects with `obj`: give it the saved row's identity.
        obj.pk = saved.pk
        obj.reason = saved.reason
        obj.created_at = saved.created_at
        obj.updated_at = saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(date=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for override in queryset:
            calendar_override_delete(date=override.date)
