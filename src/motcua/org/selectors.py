"""Reads of the organisation, including who a bearer token belongs to."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .models import Agency, ApiToken, User
from .services import hash_token


def user_by_api_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.is_demo and not settings.MOTCUA_DEMO_MODE:
        return None
    now = timezone.now()
    # Write at most once a minute: the token is read on every API call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(user: User) -> list[ApiToken]:
    """The owner's tokens that still work (neither expired nor revoked), newest first."""
    return list(
        ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at", "-pk")
    )


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).select_related("unit").first()
