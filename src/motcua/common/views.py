"""The home page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from motcua.catalog import selectors as catalog_selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "stats": catalog_selectors.catalog_stats(),
        "fields": [f for f in catalog_selectors.field_list() if f.active_count][:12],
    }
    return render(request, "common/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ok = True
    except Exception:  # any failure means unhealthy
        ok = False
    body = {
        "status": "ok" if ok else "error",
        "database": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]).rsplit("/", 1)[-1],
    }
    return JsonResponse(body, status=200 if ok else 503)
