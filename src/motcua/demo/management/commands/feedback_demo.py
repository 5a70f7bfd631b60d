"""Load the demo petitions (`motcua feedback-demo`); does nothing when they are already there."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from motcua.common.errors import ApiError
from motcua.demo.guard import DemoLoaderCommand
from motcua.demo.petitions import load_feedback_demo


class Command(DemoLoaderCommand):
    help = (
        "Create about sixty made-up petitions of the last two months in Hải Phòng, handled "
        "through the real services (answered, forwarded, rated, duplicates, one hidden). "
        "Run after `motcua demo`; a second run changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same petitions.")
        parser.add_argument("--count", type=int, default=60, help="How many petitions.")

    def handle(self, *args: Any, seed: int, count: int, **options: Any) -> None:
        def progress(line: str) -> None:
            self.stdout.write(f"  phản ánh / petitions {line}")

        try:
            created = load_feedback_demo(seed=seed, count=count, progress=progress)
        except ApiError as exc:
            raise CommandError(
                f"{exc.message} / {exc.message_en} (chạy `motcua demo` trước? / "
                "run `motcua demo` first?)"
            ) from exc
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {created} phản ánh minh hoạ / {created} demo petitions created."
                )
            )
        else:
            self.stdout.write("Đã có phản ánh minh hoạ; không tạo thêm / demo petitions exist.")
