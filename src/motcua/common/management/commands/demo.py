"""Load the demo world: organisation, catalog, demo accounts and the officers of every agency
handling an online procedure, history (when asked), the demo citizen's dossiers in every
state and ratings of returned dossiers."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from motcua.catalog.demo import load_catalog, online_agency_codes
from motcua.common.demo import DemoLoaderCommand
from motcua.dossiers.models import Dossier
from motcua.org.demo import load_demo_accounts, load_demo_staff, load_organisation
from motcua.portal.demo import load_citizen_dossiers
from motcua.surveys.demo import load_demo_ratings


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
        agencies = online_agency_codes()
        staff = load_demo_staff(agency_codes=agencies)
        self.stdout.write(
            f"Officers of the {len(agencies)} agencies handling online procedures: {staff} new"
        )
        if history_months and not Dossier.objects.exists():
            call_command(
                "generate", months=history_months, seed=1, per_day=per_day, stdout=self.stdout
            )
        mine = load_citizen_dossiers()
        self.stdout.write(f"Dossiers of demo-citizen: {mine} new")
        ratings = load_demo_ratings()
        self.stdout.write(f"Ratings of returned dossiers: {ratings} new")
        self.stdout.write(f"Dossiers: {Dossier.objects.count()}")
        self.stdout.write(self.style.SUCCESS("Demo world ready."))
