"""Serve the whole system with waitress (static files through WhiteNoise)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve motcua over HTTP (PORT overrides the port, default 8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from waitress import serve

        from motcua.wsgi import application

        self.stdout.write(self.style.SUCCESS(f"motcua: http://{host}:{port}/  (Ctrl+C to stop)"))
        serve(application, host=host, port=port, threads=threads, ident="motcua")
