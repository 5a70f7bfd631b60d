"""`motcua facts-rebuild [--from DATE --to DATE]`: the counts per day, rebuilt from the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.facts.rebuild import facts_clear, facts_rebuild, history_span

ERR_DATE = (
    "{option} phải là ngày ISO, ví dụ 2026-06-30; nhận được {value!r}. / "
    "{option} must be an ISO date, e.g. 2026-06-30; got {value!r}."
)
ERR_ORDER = (
    "--to ({last}) không được trước --from ({first}). / --to ({last}) may not be before "
    "--from ({first})."
)


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(ERR_DATE.format(option=option, value=value)) from exc


class Command(BaseCommand):
    help = (
        "Tính lại số liệu theo ngày (hồ sơ, phản ánh, đánh giá) từ dữ liệu gốc, mỗi ngày một "
        "giao dịch; chạy lại không đổi kết quả. Không có --from/--to: toàn bộ lịch sử. / "
        "Rebuild the counts per day from the rows, one transaction per day; idempotent. "
        "Without --from/--to: the whole history."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="first", default=None, help="first day, ISO date")
        parser.add_argument("--to", dest="last", default=None, help="last day, ISO date")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _date("--from", options["first"]), _date("--to", options["last"])
        whole = first is None and last is None
        span = history_span()
        if span is None and (first is None or last is None):
            if whole:
                facts_clear()
            self.stdout.write("Chưa có dữ liệu / nothing recorded yet.")
            return
        first = first or span[0]  # type: ignore[index]
        last = last or span[1]  # type: ignore[index]
        if last < first:
            raise CommandError(ERR_ORDER.format(first=first, last=last))
        if whole:
            facts_clear()
        total = (last - first).days + 1
        # disable=None: a bar on a terminal, nothing in logs or pipes.
        with tqdm(total=total, unit="day", desc="facts-rebuild", disable=None) as bar:

            def advance(days: int) -> None:
                bar.update(days)

            report = facts_rebuild(first, last, progress=advance)
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong / done: {report.days} ngày / days {first:%d/%m/%Y} – {last:%d/%m/%Y}, "
                f"{report.rows} dòng / rows"
            )
        )
