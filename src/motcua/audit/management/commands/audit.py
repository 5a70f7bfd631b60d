"""`motcua audit verify`: is the event log intact?"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.audit.models import Event
from motcua.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Audit tools. `verify` recomputes the hash chain of the event log."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        with tqdm(
            total=Event.objects.count(),
            desc="verify",
            unit="event",
            disable=not self.stderr.isatty(),
        ) as bar:
            report = audit_verify(progress=bar.update)
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nhật ký nguyên vẹn / audit log intact: {report.checked} events"
                )
            )
            return
        where = f" at event {report.first_bad_id}" if report.first_bad_id else ""
        raise CommandError(
            f"Nhật ký bị thay đổi / audit log TAMPERED{where}: {report.problem} "
            f"({report.checked} events verified before it)"
        )
