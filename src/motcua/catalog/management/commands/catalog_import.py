"""Import procedures from an Excel workbook; nothing is saved if any row is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.catalog.excel import read_workbook
from motcua.catalog.services import ImportRejected, catalog_import


class Command(BaseCommand):
    help = "Import the catalog from an .xlsx file (the columns of catalog-export)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, path: Path, as_of: dt.date | None, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"Không thấy tệp / file not found: {path}")
        try:
            with path.open("rb") as stream:
                rows = read_workbook(stream)
            result = catalog_import(
                rows=rows,
                as_of=as_of,
                progress=lambda it: tqdm(it, total=len(rows), desc="import", unit="row"),
            )
        except ImportRejected as rejected:
            for error in rejected.row_errors:
                self.stderr.write(
                    f"dòng/row {error.row} [{error.column}]: {error.message} / {error.message_en}"
                )
            raise CommandError(rejected.message + " / " + rejected.message_en) from rejected
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} new, {result.amended} amended, {result.abolished} abolished, "
                f"{result.unchanged} unchanged"
            )
        )
