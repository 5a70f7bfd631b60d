"""Print a new API bearer token for a user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.org.models import User
from motcua.org.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (use as 'Authorization: Bearer …')."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="cli")

    def handle(self, *args: Any, username: str, label: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}” / no such user: {username}")
        self.stdout.write(api_token_create(user=user, label=label))
