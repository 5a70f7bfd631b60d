"""Writes to the organisation: API tokens for users."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from .models import ApiToken, User

TOKEN_PREFIX = "mc_"  # noqa: S105 - a visible prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, label: str = "") -> str:
    """Create a token for `user` and return its secret; only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, prefix=raw[len(TOKEN_PREFIX) :][:8], key_hash=hash_token(raw), label=label
    )
    return raw
