"""Writes to the organisation: API tokens for users, and setting a user's password."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError, NotFound

from .models import ApiToken, User

TOKEN_PREFIX = "mc_"  # noqa: S105 - a visible prefix, not a secret
ERR_TOKEN_NOT_FOUND = NotFound(
    "token_not_found",
    _("You have no valid token with this id."),
)
MAX_TOKEN_DAYS = 366


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, label: str = "", days: int | None = None) -> str:
    """Create a token for `user` valid for `days` (default MOTCUA_API_TOKEN_DAYS) and return its
    secret; only its hash is kept."""
    days = settings.MOTCUA_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApiError(
            "invalid_token_days",
            _("A token lasts from 1 to {MAX_TOKEN_DAYS} days."),
            MAX_TOKEN_DAYS=MAX_TOKEN_DAYS,
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        prefix=raw[len(TOKEN_PREFIX) :][:8],
        key_hash=hash_token(raw),
        label=label.strip()[:100],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean(exclude=["user"])
    token.save()
    return raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own valid tokens; anyone else's, or an ended one, is not found."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_for_update()
        .filter(pk=token_id, user=user, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None:
        raise ERR_TOKEN_NOT_FOUND
    token.revoked_at = now
    token.revoked_reason = ApiToken.RevokedReason.OWNER
    token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """Give `user` a new password (validated); their API tokens are revoked with the old one
    (by User.save, which every password change passes through)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
