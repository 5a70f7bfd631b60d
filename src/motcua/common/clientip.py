"""The client's address, the one function every caller uses (rate limits, login lockout, logs).

`motcua serve` (waitress) already replaces REMOTE_ADDR with the client's address when the
request comes from the trusted proxy (MOTCUA_TRUSTED_PROXIES). Under a WSGI server that does
not, REMOTE_ADDR is the proxy's own address: then X-Forwarded-For is read from the right,
believing only as many hops as MOTCUA_TRUSTED_PROXY_COUNT. X-Forwarded-For from anyone else is
written by the client and ignored."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request` ("" when unknown)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote not in settings.MOTCUA_TRUSTED_PROXIES:
        return remote
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if not forwarded:
        return remote
    # Each trusted proxy appends the address it saw: the client is the leftmost of the hops
    # our own proxies wrote.
    believed = forwarded[-settings.MOTCUA_TRUSTED_PROXY_COUNT :]
    return believed[0]
