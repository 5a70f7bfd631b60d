"""Catalog pages: the home page (the catalog at a glance), search, a procedure, the history
report and the Excel import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.common.errors import NotFound
from motcua.org.models import User
from motcua.org.permissions import Capability, can

from . import selectors
from .completeness import (
    CompletenessFilters,
    completeness_agencies,
    completeness_report,
    completeness_rows,
    procedure_missing_parts,
)
from .excel import XLSX, read_workbook, write_completeness_workbook
from .forms import CompletenessForm, HistoryForm, ImportForm, SearchForm
from .selectors import ProcedureFilters
from .services import ImportRejected, catalog_import


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "stats": selectors.catalog_stats(),
        "fields": [f for f in selectors.field_list() if f.active_count][:12],
    }
    return render(request, "common/home.html", context)


def procedure_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = selectors.procedure_search(
        query=data.get("q") or "",
        filters=ProcedureFilters(
            field_code=data.get("field") or None,
            level=data.get("level") or None,
            online_level=data.get("online_level") or None,
        ),
        page=data.get("page") or 1,
        page_size=data.get("page_size") or 20,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "result": page,
            "fields": selectors.field_list(),
            "query_string": query.urlencode(),
            "q": data.get("q") or "",
        },
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(code=code)
    except NotFound:
        return render(request, "catalog/not_found.html", {"code": code}, status=404)
    missing = procedure_missing_parts(procedure) if procedure.status == "active" else []
    return render(request, "catalog/procedure.html", {"procedure": procedure, "missing": missing})


def catalog_history(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"start": dt.date(today.year, 1, 1), "end": today}
    form = HistoryForm(request.GET or initial)
    history = None
    if form.is_valid():
        history = selectors.catalog_history(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    return render(request, "catalog/history.html", {"form": form, "history": history})


COMPLETENESS_PAGE_SIZE = 50


def _completeness_filters(form: CompletenessForm) -> CompletenessFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return CompletenessFilters(
        field_code=data.get("field") or None,
        agency_code=data.get("agency") or None,
        level=data.get("level") or None,
        online_only=bool(data.get("online")),
        missing=data.get("missing") or None,
        state=data.get("state") or None,
    )


def procedure_completeness(request: HttpRequest) -> HttpResponse:
    """Which procedures in force publish every required part, and what the others lack."""
    form = CompletenessForm(request.GET or None)
    report = completeness_report(
        filters=_completeness_filters(form),
        page=(form.cleaned_data.get("page") if form.is_valid() else None) or 1,
        page_size=COMPLETENESS_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/completeness.html",
        {
            "form": form,
            "report": report,
            "percent": round(report.complete_ratio * 100, 1),
            "fields": selectors.field_list(),
            "agencies": completeness_agencies(),
            "query_string": query.urlencode(),
        },
    )


def _choice_text(form: CompletenessForm, name: str, value: object) -> str:
    if value is True:
        return str(_("yes"))
    choices = dict(getattr(form.fields[name], "choices", []))
    return str(choices.get(value, value))


def procedure_completeness_export(request: HttpRequest) -> HttpResponse:
    """The same report, every matching row, as an Excel workbook."""
    form = CompletenessForm(request.GET or None)
    filters = _completeness_filters(form)
    # The workbook is Vietnamese whatever the page's language: it is filed as is.
    with translation.override("vi"):
        described = ", ".join(
            f"{form.fields[name].label}: {_choice_text(form, name, value)}"
            for name, value in (form.cleaned_data.items() if form.is_valid() else [])
            if value and name != "page"
        )
    content = write_completeness_workbook(
        completeness_rows(filters=filters), filters_text=described
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="muc-do-day-du-thu-tuc-{stamp}.xlsx"'
    return response


@login_required
def catalog_import_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can(user, Capability.MANAGE_CATALOG):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = None
    if request.method == "POST" and form.is_valid():
        try:
            result = catalog_import(
                rows=read_workbook(form.cleaned_data["file"]),
                as_of=form.cleaned_data["as_of"],
            )
        except ImportRejected as rejected:
            row_errors = rejected.row_errors
            messages.error(request, _("The file has errors; nothing was saved."))
        else:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new, %(amended)d amended, %(abolished)d abolished, "
                    "%(unchanged)d unchanged."
                )
                % result.__dict__,
            )
            return redirect("catalog:import")
    return render(request, "catalog/import.html", {"form": form, "row_errors": row_errors})
