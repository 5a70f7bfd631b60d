"""`motcua national-portal-receiver`: a local stand-in for the national portal (demo, tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.sync.receiver import ReceiverStore, receiver_server
from motcua.sync.signing import portal_secret


class Command(BaseCommand):
    help = (
        "Receive signed dossier changes as the national portal would: check the signature, "
        "keep each event id once, answer 200 (--list: print what was received and stop)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--store",
            type=Path,
            default=None,
            help="SQLite file of the received events (default: var/national-portal.sqlite3)",
        )
        parser.add_argument(
            "--delay-ms", type=int, default=0, help="answer each delivery this late (a slow portal)"
        )
        parser.add_argument("--list", action="store_true", help="print the received events")

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        store: Path | None,
        delay_ms: int,
        list: bool,  # the option's name
        **options: Any,
    ) -> None:
        received = ReceiverStore(store or settings.VAR_DIR / "national-portal.sqlite3")
        if list:
            for item in received.all():  # one JSON line per event, for jq or grep
                line = {"event_id": item.event_id, "deliveries": item.deliveries, **item.payload}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            return
        server = receiver_server(
            host=host,
            port=port,
            store=received,
            secret=portal_secret(),
            delay_seconds=delay_ms / 1000,
        )
        bound_port = server.server_address[1]
        self.stdout.write(
            self.style.SUCCESS(f"national portal receiver: http://{host}:{bound_port}/ ")
            + f"(events in {received.path}; Ctrl+C to stop)"
        )
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
