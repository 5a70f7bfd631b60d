"""Issue a new Open311 API key for a client and print it (only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.common.errors import ApiError
from motcua.feedback.clients import api_client_issue_key
from motcua.org.models import User


class Command(BaseCommand):
    help = (
        "Create the Open311 client CLIENT_NAME (or give an existing one a new key, which "
        "replaces its old key) and print the key. Clients send it as api_key."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("client_name")
        parser.add_argument("--contact", default="", help="Who to contact about this client.")
        parser.add_argument("--by", default="", help="Username of the administrator issuing it.")

    def handle(self, *args: Any, client_name: str, contact: str, by: str, **options: Any) -> None:
        created_by = None
        if by:
            created_by = User.objects.filter(username=by).first()
            if created_by is None:
                raise CommandError(f"Không có người dùng “{by}” / no such user: {by}")
        try:
            _, key = api_client_issue_key(name=client_name, created_by=created_by, contact=contact)
        except ApiError as exc:
            raise CommandError(f"{exc.message} / {exc.message_en}") from exc
        self.stdout.write(key)
