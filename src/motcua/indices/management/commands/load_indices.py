"""`motcua load-indices`: validate and load the methodology files (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.common.errors import ApiError
from motcua.indices.methodology import METHODOLOGY_DIR, methodologies_load


class Command(BaseCommand):
    help = "Validate and load index methodologies from JSON files. Nothing is saved on an error."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dir", type=Path, default=METHODOLOGY_DIR, help="folder of *.json methodology files"
        )

    def handle(self, *args: Any, dir: Path, **options: Any) -> None:
        try:
            loaded = methodologies_load(dir)
        except ApiError as exc:
            lines = [f"{exc.message} / {exc.message_en}"]
            lines += [f"  - {e['message']} / {e['message_en']}" for e in exc.errors]
            raise CommandError("\n".join(lines)) from exc
        for code, version, changed in loaded:
            self.stdout.write(f"{code} {version}: {'loaded' if changed else 'unchanged'}")
        self.stdout.write(self.style.SUCCESS(f"{len(loaded)} methodologies ready."))
