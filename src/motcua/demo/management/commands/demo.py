"""Load the whole demo world in one command: organisation, catalog, demo accounts and the
officers of every agency handling an online procedure, history (when asked), the demo citizen's
dossiers in every state, ratings of returned dossiers, the index assessments (`indices-demo`)
and the petitions (`feedback-demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from motcua.demo.catalog import load_catalog, online_agency_codes
from motcua.demo.citizen import load_citizen_dossiers
from motcua.demo.guard import DemoLoaderCommand
from motcua.demo.organisation import load_demo_accounts, load_demo_staff, load_organisation
from motcua.demo.ratings import load_demo_ratings
from motcua.demo.reports import load_demo_schedules
from motcua.dossiers.models import Dossier
from motcua.sync.selectors import outbox_state


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
        parser.add_argument(
            "--no-indices",
            action="store_true",
            help="leave out the index assessments (what `motcua indices-demo` loads)",
        )
        parser.add_argument(
            "--no-petitions",
            action="store_true",
            help="leave out the petitions (what `motcua feedback-demo` loads)",
        )

    def handle(
        self,
        *args: Any,
        history_months: int,
        per_day: int,
        no_indices: bool = False,
        no_petitions: bool = False,
        **options: Any,
    ) -> None:
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
        if not no_indices:
            call_command("indices_demo", stdout=self.stdout)
        if not no_petitions:
            call_command("feedback_demo", stdout=self.stdout)
        schedules = load_demo_schedules()
        self.stdout.write(f"Scheduled reports: {schedules} new (mailed by `motcua task-worker`)")
        self.stdout.write(f"Dossiers: {Dossier.objects.count()}")
        queued = outbox_state().waiting
        self.stdout.write(f"National portal: {queued} changes queued for `motcua sync-worker`")
        self.stdout.write(self.style.SUCCESS("Demo world ready."))
