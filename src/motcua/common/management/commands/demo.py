"""Load the demo world: organisation, catalog, demo accounts (and history, when available)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.catalog.demo import load_catalog
from motcua.org.demo import load_demo_accounts, load_organisation


class Command(BaseCommand):
    help = "Load the demo world. Idempotent: running it twice changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        org = load_organisation()
        self.stdout.write(f"Organisation: {org['units']} units, {org['agencies']} agencies")
        catalog = load_catalog()
        self.stdout.write(f"Catalog: {catalog['procedures']} procedures ({catalog['created']} new)")
        created = load_demo_accounts()
        self.stdout.write(f"Demo accounts: {created} new")
        self.stdout.write(self.style.SUCCESS("Demo world ready."))
