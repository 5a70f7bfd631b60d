"""Export the catalog to an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from motcua.catalog.excel import write_workbook
from motcua.catalog.models import Procedure


class Command(BaseCommand):
    help = "Write the catalog to an .xlsx file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--all", action="store_true", help="include abolished procedures")

    def handle(self, *args: Any, path: Path, all: bool, **options: Any) -> None:
        procedures = Procedure.objects.all()
        if not all:
            procedures = procedures.filter(status=Procedure.Status.ACTIVE)
        path.write_bytes(write_workbook(procedures))
        self.stdout.write(self.style.SUCCESS(f"{procedures.count()} procedures → {path}"))
