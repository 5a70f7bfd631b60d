"""`motcua task-worker`: the background worker (django-tasks-db's db_worker) with the
dashboards' schedule queued first, so reports and warnings go out with nothing else to run."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from motcua.dashboards.tasks import tick_ensure


class Command(BaseCommand):
    help = "Run the background task worker (reports, scheduled mail, early warnings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        tick_ensure()
        arguments = ["--interval", str(options["interval"]), "--no-startup-delay"]
        if options["batch"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
