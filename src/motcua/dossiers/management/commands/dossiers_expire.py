"""`motcua dossiers-expire`: close dossiers left unpaid past MOTCUA_PAYING_EXPIRY_HOURS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.dossiers.expiry import dossiers_expire_unpaid


class Command(BaseCommand):
    help = (
        "Close dossiers waiting for payment longer than MOTCUA_PAYING_EXPIRY_HOURS as "
        "withdrawn (unpaid) and cancel their pending payments. Safe to run repeatedly "
        "(e.g. every 15 minutes from cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = dossiers_expire_unpaid()
        for code in closed:
            self.stdout.write(f"expired {code}")
        self.stdout.write(
            f"{len(closed)} dossier(s) closed unpaid after "
            f"{settings.MOTCUA_PAYING_EXPIRY_HOURS} hours."
        )
