"""`motcua audit verify`: is the event log intact? `motcua audit anchor`: record all heads."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.audit.models import Event
from motcua.audit.selectors import audit_verify
from motcua.audit.services import anchor_write


class Command(BaseCommand):
    help = (
        "Audit tools. `verify` recomputes the hash chain of every agency's event log and checks "
        "every anchor; `anchor` records all chains' heads (nothing new since the last anchor: "
        "writes nothing)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "anchor":
            self._anchor()
        else:
            self._verify()

    def _anchor(self) -> None:
        anchor, written = anchor_write()
        what = "mốc mới / new anchor" if written else "không đổi / unchanged since anchor"
        # The hash is printed so cron's mail or log keeps a copy outside the database.
        self.stdout.write(
            f"{what} #{anchor.seq} {anchor.at:%Y-%m-%d %H:%M:%S%z}: "
            f"{len(anchor.heads)} chains, {anchor.hash}"
        )

    def _verify(self) -> None:
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
                    f"Nhật ký nguyên vẹn / audit log intact: {report.checked} events "
                    f"in {len(report.chains)} chains, {report.anchors} anchors"
                )
            )
            return
        lines = [
            f"chain {c.chain} TAMPERED"
            + (f" at event {c.first_bad_id}" if c.first_bad_id else "")
            + f": {c.problem} ({c.checked} events verified before it)"
            for c in report.broken
        ]
        if report.anchor_problem:
            lines.append(f"anchors TAMPERED: {report.anchor_problem}")
        where = f" at event {report.first_bad_id}" if report.first_bad_id else ""
        raise CommandError(
            f"Nhật ký bị thay đổi / audit log TAMPERED{where}: {report.problem} "
            f"({report.checked} events verified)\n" + "\n".join(lines)
        )
