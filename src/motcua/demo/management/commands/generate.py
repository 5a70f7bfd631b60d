"""`motcua generate`: fill the database with months of dossiers replayed through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from motcua.demo.generate import GenerationError, apply_plan, months_before, plan_history
from motcua.dossiers.models import Dossier

ERR_EXISTING = (
    "Đã có {count} hồ sơ tiếp nhận từ {since:%d/%m/%Y} đến {until:%d/%m/%Y %H:%M}; "
    "thêm --append nếu muốn sinh thêm. / {count} dossiers were already received in this "
    "period; pass --append to add more."
)
ERR_FUTURE = (
    "--until {until:%d/%m/%Y %H:%M} nằm trong tương lai; lịch sử chỉ được sinh đến hiện tại. / "
    "--until is in the future; history can only be generated up to now."
)
ERR_UNTIL = (
    "--until phải là ngày hoặc thời điểm ISO, ví dụ 2026-06-30 hoặc 2026-06-30T16:00. / "
    "--until must be an ISO date or datetime, e.g. 2026-06-30 or 2026-06-30T16:00; got {value!r}."
)
ERR_POSITIVE = "{option} phải lớn hơn 0. / {option} must be greater than 0."


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ mẫu qua đúng các nghiệp vụ (tiếp nhận, chuyển, bổ sung, xin lỗi, trả kết "
        "quả) tại các thời điểm trong quá khứ. / Generate demo dossiers by replaying the real "
        "services at past times; deterministic for a seed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--months", type=int, default=3, help="months of history (3)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--per-day",
            type=int,
            default=40,
            dest="per_day",
            help="dossiers received per working day across the province (40)",
        )
        parser.add_argument(
            "--until", default=None, help="end of the history, ISO date or datetime (now)"
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="generate even if dossiers were already received in the period",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("months", "per_day"):
            if options[option] < 1:
                raise CommandError(ERR_POSITIVE.format(option="--" + option.replace("_", "-")))
        until = _until(options["until"])
        zone = timezone.get_default_timezone()
        since = dt.datetime.combine(
            months_before(until.date(), options["months"]),
            dt.time(),
            tzinfo=zone,
        )
        existing = Dossier.objects.filter(received_at__gte=since, received_at__lte=until).count()
        if existing and not options["append"]:
            raise CommandError(ERR_EXISTING.format(count=existing, since=since, until=until))
        plan = plan_history(
            seed=options["seed"], since=since, until=until, per_day=options["per_day"]
        )
        self.stdout.write(
            f"Kế hoạch / plan: {len(plan.dossiers)} hồ sơ / dossiers, "
            f"{sum(len(d.actions) for d in plan.dossiers)} thao tác / actions, "
            f"{plan.since:%d/%m/%Y} – {plan.until:%d/%m/%Y %H:%M}"
        )
        # disable=None: a bar on a terminal, nothing in logs or pipes.
        with tqdm(total=len(plan.dossiers), unit="dossier", desc="generate", disable=None) as bar:
            try:
                report = apply_plan(plan, progress=bar.update)
            except GenerationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write("Hồ sơ theo trạng thái / dossiers by status:")
        for status, count in sorted(report.by_status.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {status:<20} {count:>7}")
        share = report.on_time_share
        finished = sum(1 for _, _, verdict in report.dossiers if verdict)
        on_time = "—" if share is None else f"{share:.1%}"
        self.stdout.write(f"Đúng hạn / on time: {on_time} ({finished} đã có kết quả / finished)")
        self.stdout.write(f"Sự kiện ghi / events written: {report.events_written}")
        rate = len(report.dossiers) / report.seconds if report.seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong / done: {report.seconds:.1f} s, {rate:.1f} hồ sơ/giây / dossiers per second"
            )
        )


def _until(value: str | None) -> dt.datetime:
    zone = timezone.get_default_timezone()
    now = timezone.now().astimezone(zone)
    if value is None:
        return now
    try:
        if "T" in value or " " in value.strip():
            until = dt.datetime.fromisoformat(value)
            if timezone.is_naive(until):
                until = until.replace(tzinfo=zone)
        else:
            day = dt.date.fromisoformat(value)
            until = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
            if day == now.date():  # today's history ends now
                until = now
    except ValueError as exc:
        raise CommandError(ERR_UNTIL.format(value=value)) from exc
    if until > now:
        raise CommandError(ERR_FUTURE.format(until=until.astimezone(zone)))
    return until.astimezone(zone)
