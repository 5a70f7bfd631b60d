"""`motcua sync-worker`: deliver the outbox to the national portal until stopped (or, with
--once, until nothing is due). Safe to kill at any moment and to run more than one."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from motcua.sync.selectors import outbox_state
from motcua.sync.services import outbox_deliver_batch


class Command(BaseCommand):
    help = (
        "Deliver queued dossier changes to MOTCUA_NATIONAL_PORTAL_URL, retrying with backoff "
        "until each is acknowledged (--once: stop when nothing is due)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="stop when nothing is due")
        parser.add_argument("--batch", type=int, default=50, help="messages claimed at a time")
        parser.add_argument(
            "--idle", type=float, default=5.0, help="seconds to wait when nothing is due"
        )

    def handle(self, *args: Any, once: bool, batch: int, idle: float, **options: Any) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        if not settings.MOTCUA_NATIONAL_PORTAL_URL:
            state = outbox_state()
            self.stdout.write(
                f"MOTCUA_NATIONAL_PORTAL_URL is empty: nothing is sent; "
                f"{state.waiting} messages are waiting."
            )
            return
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True  # finish the message in hand; the rest of the batch's lease expires

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"delivering to {settings.MOTCUA_NATIONAL_PORTAL_URL}")
        self.stdout.flush()
        while not stopping:
            try:
                result = outbox_deliver_batch(limit=batch)
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from None
            if result.claimed:
                self.stdout.write(
                    f"{result.claimed} claimed: {result.acknowledged} acknowledged, "
                    f"{result.failed} to retry"
                )
                self.stdout.flush()
                continue
            if once:
                break
            time.sleep(idle)
        state = outbox_state()
        self.stdout.write(
            f"{state.acknowledged} acknowledged, {state.waiting} waiting "
            f"({state.failing} after a failed attempt)"
        )
