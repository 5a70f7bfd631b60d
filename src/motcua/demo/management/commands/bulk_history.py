"""`motcua bulk-history`: millions of dossiers for benchmarks, inserted in batches, and their
dossier facts built from the rows by the facts' own cells (`demo.bulk`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.demo.bulk import bulk_history, dossier_facts_build
from motcua.org.models import Agency

ERR_POSITIVE = "--dossiers phải lớn hơn 0. / --dossiers must be greater than 0."
ERR_NO_DEMO = (
    "Chưa có cơ quan nào: chạy `motcua demo` trước. / No agencies yet: run `motcua demo` first."
)


class Command(BaseCommand):
    help = (
        "Ghi thẳng N hồ sơ mẫu vào bảng hồ sơ (cho đo hiệu năng) rồi dựng số liệu tổng hợp. / "
        "Insert N generated dossiers in bulk (for benchmarks), then build their dossier facts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dossiers", type=int, default=100_000, help="how many (100000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument("--years", type=int, default=3, help="years of history (3)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dossiers"] < 1:
            raise CommandError(ERR_POSITIVE)
        if not Agency.objects.exists():
            raise CommandError(ERR_NO_DEMO)
        started = time.perf_counter()
        with tqdm(total=options["dossiers"], unit="dossier", desc="insert", disable=None) as bar:
            written = bulk_history(
                options["dossiers"],
                seed=options["seed"],
                years=options["years"],
                progress=bar.update,
            )
        inserted = time.perf_counter()
        with tqdm(unit="dossier", desc="facts", disable=None) as bar:
            rows = dossier_facts_build(progress=bar.update)
        done = time.perf_counter()
        self.stdout.write(
            f"Xong / done: {written:,} hồ sơ / dossiers in {inserted - started:.0f} s, "
            f"{rows:,} dòng số liệu / fact rows in {done - inserted:.0f} s"
        )
