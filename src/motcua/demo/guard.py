"""The guard every demo loader command shares: the demo world (accounts with a published
password, invented dossiers and petitions, scores) is never loaded under settings.production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ERR_DEMO_IN_PRODUCTION = (
    "Đây là máy chủ thật (settings.production): không nạp dữ liệu mẫu. "
    "This is a production server (settings.production): the demo world is not loaded here; "
    "its accounts have a published password."
)


class DemoLoaderCommand(BaseCommand):
    """A management command that loads demo data; refuses to run under production settings."""

    def execute(self, *args: Any, **options: Any) -> Any:
        if settings.MOTCUA_PRODUCTION:
            raise CommandError(ERR_DEMO_IN_PRODUCTION)
        return super().execute(*args, **options)
