"""The health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


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
