"""The sender's signed rating link: only the sender receives it, and it lets them rate the
answer without an account. Used by the services (to check it) and by `notify` (to send it)."""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare

RATING_SALT = "motcua.feedback.rating"


def rating_key(petition_id: int) -> str:
    """The secret in the sender's rating link."""
    return signing.Signer(salt=RATING_SALT).signature(str(petition_id))


def rating_key_valid(petition_id: int, key: str) -> bool:
    return bool(key) and constant_time_compare(rating_key(petition_id), key)
