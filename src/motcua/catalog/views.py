"""Catalog pages: the home page (the catalog at a glance), search, a procedure, the history
report and the Excel import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.common.errors import NotFound
from motcua.org.models import User

from . import selectors
from .excel import read_workbook
from .forms import HistoryForm, ImportForm, SearchForm
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
    return render(request, "catalog/procedure.html", {"procedure": procedure})


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


@login_required
def catalog_import_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role != User.Role.ADMINISTRATOR and not user.is_superuser:
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
