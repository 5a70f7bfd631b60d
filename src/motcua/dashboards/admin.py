"""The communes' boundaries in the admin: read-only rows, replaced by importing the province's
GeoJSON file (all or nothing) from a page beside the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.common.errors import ApiError

from .geo import MAX_UPLOAD_BYTES, boundaries_import
from .models import CommuneBoundary, Report, ReportSchedule
from .services import recipients_of

IMPORT_URL_NAME = "dashboards_communeboundary_import"


class BoundaryImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection of Polygon or MultiPolygon features in WGS 84, each with the "
            "unit's code (code, ma_xa…) or name (name, ten_xa…). At most 20 MB."
        ),
    )


@admin.register(CommuneBoundary)
class CommuneBoundaryAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "imported_at")
    list_select_related = ("agency",)
    search_fields = ("name", "agency__name", "agency__code")
    readonly_fields = ("geometry", "imported_at")
    change_list_template = "admin/dashboards/communeboundary/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A boundary comes from the province's file: the add form, with no geometry to type
        # in, would only make an empty one. The import page stands in for it.
        return False

    def can_import(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('add', opts)}")

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=IMPORT_URL_NAME,
            )
        ]
        return custom + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "can_import": self.can_import(request)}
        return super().changelist_view(request, extra_context=context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.can_import(request):
            raise PermissionDenied
        form = BoundaryImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            # One byte past the limit is enough for the import to refuse the file as too large.
            content = form.cleaned_data["file"].read(MAX_UPLOAD_BYTES + 1)
            try:
                count = boundaries_import(content)
            except ApiError as error:
                form.add_error("file", error.text)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d boundary imported.", "%(count)d boundaries imported.", count
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:dashboards_communeboundary_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import commune boundaries"),
        }
        return TemplateResponse(request, "admin/dashboards/communeboundary/import.html", context)


class ReportScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ("agency", "frequency", "recipients", "next_run_at", "active")

    def clean_recipients(self) -> str:
        """Every address checked now rather than at the first sending, weeks later."""
        text = self.cleaned_data["recipients"]
        addresses = recipients_of(text)
        if not addresses:
            raise forms.ValidationError(_("Give at least one email address."))
        for address in addresses:
            validate_email(address)
        return "\n".join(addresses)


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    form = ReportScheduleForm
    list_display = ("__str__", "agency", "frequency", "next_run_at", "last_period", "active")
    list_filter = ("frequency", "active")
    autocomplete_fields = ("agency",)
    readonly_fields = ("last_sent_at", "last_period")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("period", "requested_by", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = (
        "requested_by", "period", "status", "attempts", "error", "xlsx", "pdf", "created_at",
        "finished_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
