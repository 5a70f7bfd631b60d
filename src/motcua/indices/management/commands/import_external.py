"""`motcua import-external FILE.csv`: import published PCI/PAPI values (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.common.errors import ApiError
from motcua.indices.external_import import EXTERNAL_DIR, external_import


class Command(BaseCommand):
    help = "Import PCI/PAPI values from a CSV (index,province,year,component,score,rank)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=EXTERNAL_DIR / "haiphong.csv")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = external_import(path.read_text(encoding="utf-8"), source=path.name)
        except ApiError as exc:
            lines = [f"{exc.message} / {exc.message_en}"]
            lines += [f"  {e['field']}: {e['message']} / {e['message_en']}" for e in exc.errors]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{result['created']} values created, {result['updated']} updated.")
        )
