"""`motcua indices-compute --year Y`: fill every assessment's computed leaves for a year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.indices.models import Assessment
from motcua.indices.services import assessment_compute


class Command(BaseCommand):
    help = (
        "Compute the computed leaves (on-time, online, digitised, … ratios) of every "
        "assessment of a year from dossiers, petitions and ratings. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--methodology", help="only this methodology code")

    def handle(self, *args: Any, **options: Any) -> None:
        assessments = Assessment.objects.filter(year=options["year"]).select_related(
            "methodology", "agency", "unit"
        )
        if options.get("methodology"):
            assessments = assessments.filter(methodology__code=options["methodology"])
        rows = list(assessments.order_by("methodology__code", "id"))
        filled = empty = 0
        for i, assessment in enumerate(rows, start=1):
            leaves = assessment_compute(assessment=assessment, actor=None)
            filled += sum(1 for v in leaves.values() if v["points"] is not None)
            empty += sum(1 for v in leaves.values() if v["points"] is None)
            self.stdout.write(f"[{i}/{len(rows)}] {assessment}: {len(leaves)} computed leaves")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rows)} assessments of {options['year']}: {filled} leaves filled, "
                f"{empty} without data."
            )
        )
