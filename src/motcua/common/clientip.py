"""The one place that says which address a request came from (login lockout, throttles)."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR only: X-Forwarded-For is written by the client unless a trusted proxy
    rewrites it, so trusting it would let an attacker pick the address that gets locked."""
    return request.META.get("REMOTE_ADDR", "") or ""
