"""Serve the whole system with waitress (static files through WhiteNoise).

Behind a reverse proxy, waitress believes X-Forwarded-For/-Proto/-Host/-Port only from the
address in MOTCUA_TRUSTED_PROXIES: REMOTE_ADDR becomes the client's address and the scheme the
one the client used, so HTTPS redirects, HSTS, CSRF and rate limits see the real request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}
ERR_SEVERAL_PROXIES = (
    "MOTCUA_TRUSTED_PROXIES lists {count} addresses; waitress trusts one peer. Name the proxy "
    "that connects to motcua (set MOTCUA_TRUSTED_PROXY_COUNT for proxies in front of it)."
)


def waitress_options() -> dict[str, Any]:
    """waitress's proxy options from the settings: none without a trusted proxy."""
    proxies = list(settings.MOTCUA_TRUSTED_PROXIES)
    if not proxies:
        return {}
    if len(proxies) > 1:
        raise CommandError(ERR_SEVERAL_PROXIES.format(count=len(proxies)))
    return {
        "trusted_proxy": proxies[0],
        "trusted_proxy_count": settings.MOTCUA_TRUSTED_PROXY_COUNT,
        "trusted_proxy_headers": set(PROXY_HEADERS),
        "clear_untrusted_proxy_headers": True,
    }


class Command(BaseCommand):
    help = "Serve motcua over HTTP (MOTCUA_HOST/MOTCUA_PORT, or --host/--port)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--threads", type=int, default=8)

    def handle(
        self, *args: Any, host: str | None, port: int | None, threads: int, **options: Any
    ) -> None:
        from waitress import serve

        from motcua.wsgi import application

        host = host or settings.MOTCUA_HOST
        port = port or settings.MOTCUA_PORT
        proxy = waitress_options()
        self.stdout.write(self.style.SUCCESS(f"motcua: http://{host}:{port}/  (Ctrl+C to stop)"))
        if proxy:
            self.stdout.write(f"trusting X-Forwarded-* from {proxy['trusted_proxy']}")
        serve(application, host=host, port=port, threads=threads, ident="motcua", **proxy)
