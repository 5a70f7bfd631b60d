"""Load the demo world: organisation, catalog, demo accounts (and history, when available)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from motcua.catalog.demo import load_catalog
from motcua.common.demo import DemoLoaderCommand
from motcua.dossiers.models import Dossier
from motcua.org.demo import load_demo_accounts, load_organisation


class Command(DemoLoaderCommand):
    help = "Load the demo world. Idempotent: running it twice changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--history-months",
            type=int,
            default=0,
            help="also replay this many months of dossiers, when there are none yet",
        )
        parser.add_argument("--per-day", type=int, default=30)

    def handle(self, *args: Any, history_months: int, per_day: int, **options: Any) -> None:
        org = load_organisation()
        self.stdout.write(f"Organisation: {org['units']} units, {org['agencies']} agencies")
        catalog = load_catalog()
        self.stdout.write(f"Catalog: {catalog['procedures']} procedures ({catalog['created']} new)")
        created = load_demo_accounts()
        self.stdout.write(f"Demo accounts: {created} new")
        if history_months and not Dossier.objects.exists():
            call_command(
                "generate", months=history_months, seed=1, per_day=per_day, stdout=self.stdout
            )
        self.stdout.write(f"Dossiers: {Dossier.objects.count()}")
        self.stdout.write(self.style.SUCCESS("Demo world ready."))
