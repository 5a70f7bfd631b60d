"""`motcua indices-demo`: demo PAR assessments of Hải Phòng's departments (idempotent)."""

from __future__ import annotations

from typing import Any

from motcua.demo.guard import DemoLoaderCommand
from motcua.demo.indices import COMMUNE_YEARS, YEARS, load_index_demo
from motcua.demo.organisation import load_demo_accounts, load_organisation
from motcua.indices.external_import import EXTERNAL_DIR, external_import
from motcua.indices.methodology import methodologies_load


class Command(DemoLoaderCommand):
    help = (
        "Score the province's departments on hp-departments for 2024 and 2025, and its wards, "
        "communes and special zones for 2025 (demo data). "
        "Idempotent: running it twice changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        load_organisation()
        load_demo_accounts()
        methodologies_load()
        self.stdout.write(
            f"Scoring departments for {', '.join(map(str, YEARS))} and communes for "
            f"{', '.join(map(str, COMMUNE_YEARS))}…"
        )
        result = load_index_demo()
        pci = external_import(
            (EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8"), source="haiphong.csv"
        )
        self.stdout.write(f"Hải Phòng PCI/PAPI values: {pci['created']} new, {pci['updated']} kept")
        self.stdout.write(
            self.style.SUCCESS(
                f"Index demo ready: {result['created']} assessments created, "
                f"{result['existing']} already there."
            )
        )
