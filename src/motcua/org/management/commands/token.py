"""Print a new API bearer token for a user (it expires after --days, default 30)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.common.errors import ApiError
from motcua.org.models import User
from motcua.org.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (use as 'Authorization: Bearer …')."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="cli")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days the token stays valid (default: MOTCUA_API_TOKEN_DAYS, 30).",
        )

    def handle(
        self, *args: Any, username: str, label: str, days: int | None, **options: Any
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}” / no such user: {username}")
        try:
            token = api_token_create(user=user, label=label, days=days)
        except ApiError as error:
            raise CommandError(f"{error.message} / {error.message_en}") from error
        self.stdout.write(token)
